"""Registration by letter code: issuing codes and letters, checking codes, creating accounts."""

import hashlib
import hmac
import io
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from documents.pdf import concatenate_pdfs, render_pdf_pages
from tenants.errors import PortalError
from tenants.models import Tenant, User
from tenants.services import audit_log, email_queue, tenant_paperless_consent_set
from tenants.text import names_match

from . import codes
from .models import LetterBatch, RegistrationCode
from .ratelimit import hit

logger = logging.getLogger(__name__)

LETTER_TEMPLATE = "pdf/registration_letter.html"


# Issuing codes and letters
# ------------------------------------------------------------------------------


def registration_code_issue(
    *, tenant: Tenant, issued_by: User | None = None, batch: LetterBatch | None = None
) -> tuple[RegistrationCode, str]:
    """A new code for the tenant; every older open code of theirs stops working.

    Returns the stored row and the plain code, which must go into the letter and nowhere else.
    """
    plain = codes.generate()
    now = timezone.now()
    with transaction.atomic():
        # The tenant row serialises two runs issuing for the same tenant at once (two letter
        # jobs overlapping): otherwise both could leave a valid code.
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        RegistrationCode.objects.filter(
            tenant=tenant, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        row = RegistrationCode.objects.create(
            tenant=tenant,
            code_hash=codes.code_hash(plain),
            batch=batch,
            issued_at=now,
            issued_by=issued_by,
            expires_at=now + timedelta(days=settings.REGISTRATION_CODE_VALID_DAYS),
        )
    return row, plain


def registration_letters_issue(
    *,
    tenants: Iterable[Tenant],
    output: BinaryIO,
    issued_by: User | None = None,
    source: str = LetterBatch.Source.COMMAND,
    progress: Callable[[int], None] | None = None,
) -> LetterBatch:
    """Issue a fresh code for each tenant and write all letters into one PDF.

    All or nothing: if rendering fails, no code is issued and the old letters keep working.
    """
    from .letters import letter_context

    with transaction.atomic(), translation.override("de"):
        batch = LetterBatch.objects.create(created_by=issued_by, source=source)
        count = 0

        def contexts():
            nonlocal count
            for tenant in tenants:
                row, plain = registration_code_issue(
                    tenant=tenant, issued_by=issued_by, batch=batch
                )
                count += 1
                if progress is not None:
                    progress(count)
                yield letter_context(tenant=tenant, code=plain, expires_at=row.expires_at)

        concatenate_pdfs(render_pdf_pages(LETTER_TEMPLATE, contexts()), output)
        batch.letter_count = count
        batch.save(update_fields=["letter_count"])
    return batch


def registration_letters_issue_part(
    *, tenant_ids: list[int], batch: LetterBatch, issued_by: User | None = None
) -> tuple[bytes | None, dict[str, int]]:
    """One part of a letter job: a fresh code and a letter for each of these tenants, in order.

    Call it inside the transaction that records the part as done (tenants.jobs runs it so), so
    that codes and letters exist together or not at all. Tenants that already have a code from
    `batch` (a part run before) or meanwhile an account are skipped, so a second run issues
    nothing twice. Returns the PDF (None when no letter was due) and the counts.
    """
    from .letters import letter_context

    coded = set(
        RegistrationCode.objects.filter(batch=batch, tenant_id__in=tenant_ids).values_list(
            "tenant_id", flat=True
        )
    )
    by_pk = Tenant.objects.in_bulk(tenant_ids)
    contexts, skipped = [], 0
    with transaction.atomic(), translation.override("de"):
        for pk in tenant_ids:
            tenant = by_pk.get(pk)
            if tenant is None or tenant.user_id is not None or pk in coded:
                skipped += 1
                continue
            row, plain = registration_code_issue(tenant=tenant, issued_by=issued_by, batch=batch)
            contexts.append(letter_context(tenant=tenant, code=plain, expires_at=row.expires_at))
        if not contexts:
            return None, {"letters": 0, "skipped": skipped}
        parts = list(render_pdf_pages(LETTER_TEMPLATE, contexts))
        if len(parts) == 1:
            pdf = parts[0]
        else:
            buffer = io.BytesIO()
            concatenate_pdfs(parts, buffer)
            pdf = buffer.getvalue()
    return pdf, {"letters": len(contexts), "skipped": skipped}


def tenants_needing_letters():
    """Tenants without an account and without a code they could still use."""
    now = timezone.now()
    valid = RegistrationCode.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, locked_at__isnull=True, expires_at__gt=now
    )
    return (
        Tenant.objects.filter(user__isnull=True)
        .exclude(pk__in=valid.values("tenant_id"))
        .order_by("postal_code", "street", "last_name")
    )


# Checking a code (step 1)
# ------------------------------------------------------------------------------


class Outcome:
    OK = "ok"
    INVALID = "invalid"  # wrong code or wrong name: never say which
    RATE_LIMITED = "rate_limited"
    USED = "used"
    HAS_ACCOUNT = "has_account"
    REVOKED = "revoked"
    LOCKED = "locked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CodeCheck:
    outcome: str
    code: RegistrationCode | None = None
    message: str = ""  # what the person is told when the outcome is not OK


# Wrong code or wrong name: the same words, so a guesser learns nothing.
_INVALID = _(
    "Registration code and last name do not match. Please check both against your "
    "letter: the code is in the box in the middle, the name in the address field."
)
_RATE_LIMITED = _(
    "Too many attempts. For your security please wait an hour and try again, or write to %(email)s."
)


def _support() -> dict[str, str]:
    return {"email": settings.PORTAL_SUPPORT_EMAIL}


def registration_code_check(*, typed_code: str, last_name: str, ip: str) -> CodeCheck:
    """Check code and last name the way a forgiving clerk would, without helping a guesser.

    Wrong code and wrong name give the same outcome. Only when both match does the tenant learn
    that the code is used, revoked, locked or expired. A wrong name for an existing code counts
    towards locking it.
    """
    normalized = codes.normalize(typed_code)
    digest = codes.code_hash(normalized)
    ip_limit, ip_period = settings.REGISTRATION_RATE_LIMIT_IP
    code_limit, code_period = settings.REGISTRATION_RATE_LIMIT_CODE
    if not hit("registration-ip", ip, limit=ip_limit, period=ip_period) or not hit(
        "registration-code", digest, limit=code_limit, period=code_period
    ):
        return CodeCheck(Outcome.RATE_LIMITED, message=_RATE_LIMITED % _support())

    row = None
    if codes.is_well_formed(normalized):
        row = (
            RegistrationCode.objects.select_related("tenant", "tenant__user")
            .filter(code_hash=digest)
            .first()
        )
    expected = _names_on_letter(row.tenant) if row else ["\0"]
    name_ok = any(names_match(last_name, name) for name in expected)
    if row is None:
        return CodeCheck(Outcome.INVALID, message=str(_INVALID))
    if not name_ok:
        _count_wrong_name(row)
        return CodeCheck(Outcome.INVALID, message=str(_INVALID))

    status = row.status
    if status == RegistrationCode.Status.USED:
        return CodeCheck(
            Outcome.USED,
            row,
            str(
                _(
                    "This code has already been used to create an access. Please sign in; if "
                    "you have forgotten your password, use “Forgot your password?”."
                )
            ),
        )
    if row.tenant.user_id is not None:
        return CodeCheck(
            Outcome.HAS_ACCOUNT,
            row,
            str(
                _(
                    "You already have an access to the portal. Please sign in; if you have "
                    "forgotten your password, use “Forgot your password?”."
                )
            ),
        )
    if status == RegistrationCode.Status.REVOKED:
        return CodeCheck(
            Outcome.REVOKED,
            row,
            str(
                _(
                    "We have sent you a newer letter since. Please use the code from the "
                    "newest letter."
                )
            ),
        )
    if status == RegistrationCode.Status.LOCKED:
        return CodeCheck(
            Outcome.LOCKED,
            row,
            _(
                "This code has been locked after several wrong entries. Please ask us for a "
                "new code at %(email)s; it will reach you by post."
            )
            % _support(),
        )
    if status == RegistrationCode.Status.EXPIRED:
        return CodeCheck(
            Outcome.EXPIRED,
            row,
            _(
                "This code has expired. Please ask us for a new code at %(email)s; it will "
                "reach you by post."
            )
            % _support(),
        )
    return CodeCheck(Outcome.OK, row)


def registration_code_check_paced(
    *, typed_code: str, last_name: str, ip: str, started: float
) -> CodeCheck:
    """`registration_code_check`, answered no sooner than REGISTRATION_MIN_RESPONSE_SECONDS
    after `started` (``time.monotonic()`` when the request came in), whichever check failed.

    Not for refused floods: sleeping for them would tie up workers.
    """
    check = registration_code_check(typed_code=typed_code, last_name=last_name, ip=ip)
    if check.outcome != Outcome.RATE_LIMITED:
        remaining = settings.REGISTRATION_MIN_RESPONSE_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
    return check


def registration_language(*, chosen: str = "") -> str:
    """The new account's language: the one chosen in step 2, else the language of the page."""
    if chosen in dict(settings.LANGUAGES):
        return chosen
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _names_on_letter(tenant: Tenant) -> list[str]:
    """The last name, or the whole name as printed in the address field."""
    return [
        tenant.last_name,
        f"{tenant.first_name} {tenant.last_name}",
        tenant.full_name,
    ]


def _count_wrong_name(row: RegistrationCode) -> None:
    with transaction.atomic():
        RegistrationCode.objects.filter(pk=row.pk).update(
            failed_name_attempts=F("failed_name_attempts") + 1
        )
        RegistrationCode.objects.filter(
            pk=row.pk,
            locked_at__isnull=True,
            failed_name_attempts__gte=settings.REGISTRATION_MAX_WRONG_NAMES,
        ).update(locked_at=timezone.now())


def registration_code_usable(*, code_id: int | None) -> RegistrationCode | None:
    """The code a registration session started with, if it still allows signing up."""
    if code_id is None:
        return None
    row = RegistrationCode.objects.select_related("tenant").filter(pk=code_id).first()
    if row is None or row.status != RegistrationCode.Status.VALID or row.tenant.user_id:
        return None
    return row


# Creating the account (step 2) and confirming the e-mail address (step 3)
# ------------------------------------------------------------------------------


def _confirmation_hash(code_row: RegistrationCode, typed: str) -> str:
    key = settings.REGISTRATION_CODE_KEY.encode()
    message = f"confirm:{code_row.pk}:{typed.strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def registration_account_create(
    *,
    code: RegistrationCode,
    email: str,
    password: str,
    paperless: bool,
    base_url: str,
    language: str = settings.LANGUAGE_CODE,
) -> User | None:
    """Create the tenant's account, not yet usable, and send the confirmation e-mail.

    `language` (chosen in step 2) is the account's language, also of the confirmation e-mail.

    If the address belongs to an existing account, nothing is created and that address gets a
    notice instead; the caller answers exactly as on success (no account enumeration).

    `code` is the row as the caller read it before this call. If another request has claimed
    the code since (two tabs or devices submitting at once), this one is refused with
    RegistrationConflictError and creates nothing, so no account is left behind unclaimed.
    A repeated submit with the same address and password is a double click and changes
    nothing; with another password it is a new attempt that replaces the waiting one.
    """
    email = User.objects.normalize_email(email)
    limit, period = settings.REGISTRATION_RATE_LIMIT_ACCOUNT
    if not hit("registration-account", str(code.pk), limit=limit, period=period):
        raise RegistrationLimitError(_RATE_LIMITED, code="rate_limited", params=_support())
    seen = (code.claimed_by_id, code.claimed_at)
    with transaction.atomic():
        # Re-read under the lock. The claiming account is loaded only after the lock is held
        # (not joined into the locking query), so it is the one a parallel request committed.
        code = (
            RegistrationCode.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .get(pk=code.pk)
        )
        if code.status != RegistrationCode.Status.VALID or code.tenant.user_id:
            return None
        if (
            code.claimed_by is not None
            and code.claimed_by.email == email
            and code.claimed_at
            and timezone.now() - code.claimed_at < timedelta(minutes=10)
            and check_password(password, code.claimed_by.password)
        ):
            # A double click or a reload: the mail with the code is already on its way.
            return code.claimed_by
        if (code.claimed_by_id, code.claimed_at) != seen:
            raise RegistrationConflictError(_CONFLICT, code="parallel_registration")
        # Only a confirmed address is someone's; anyone can type any address into a profile.
        # A portal account the tenant closed (tenants.privacy_export) holds its address no more.
        closed = _closed_accounts()
        taken = (
            User.objects.filter(email__iexact=email)
            .exclude(pk=code.claimed_by_id)
            .exclude(pk__in=closed)
            .exists()
            or EmailAddress.objects.filter(email__iexact=email, verified=True)
            .exclude(user_id=code.claimed_by_id)
            .exclude(user__in=closed)
            .exists()
        )
        if taken:
            # Same work as for a free address (hashing dominates), so timing tells nothing.
            make_password(password)
            get_adapter().send_account_already_exists_mail(email)
            return None
        _discard_unconfirmed_account(code)
        _release_closed_address(email)
        tenant = code.tenant
        user = User(
            email=email,
            first_name=tenant.first_name,
            last_name=tenant.last_name,
            language=language,
        )
        user.set_password(password)
        user.save()
        address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        confirmation_code = f"{secrets.randbelow(10**6):06d}"
        code.claimed_by = user
        code.claimed_at = timezone.now()
        code.paperless_requested = paperless
        code.terms_accepted_at = timezone.now()
        # The attempt counter is not reset: a new mail does not buy new guesses.
        code.confirmation_code_hash = _confirmation_hash(code, confirmation_code)
        code.save()
        key = EmailConfirmationHMAC(address).key
        email_queue(
            to=email,
            template="registration_confirm",
            context={
                "tenant": tenant,
                "confirmation_code": confirmation_code,
                "confirm_url": base_url + reverse("registration:confirm_link", args=[key]),
                "code_url": base_url + reverse("registration:confirm"),
                "expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
            },
            sensitive=True,
        )
    return user


def _closed_accounts():
    """Portal accounts their tenants closed: inactive, no longer linked, not a clerk's."""
    return User.objects.filter(is_active=False, is_staff=False, tenant__isnull=True)


def _release_closed_address(email: str) -> None:
    """A closed account keeps its address (its owner is told „access closed“ at the login) until
    a new registration with a new letter wants it; then the old account lets go of it."""
    closed = _closed_accounts().filter(email__iexact=email).values("pk")
    # Locked by primary key: FOR UPDATE cannot take the outer join that finds closed accounts.
    for old in User.objects.select_for_update().filter(pk__in=closed):
        EmailAddress.objects.filter(user=old).delete()
        old.email = f"geschlossen-{old.pk}@konto.invalid"
        old.save(update_fields=["email"])
        audit_log(action="user.address_released", obj=old, changes={"email": email})


def _discard_unconfirmed_account(code: RegistrationCode) -> None:
    """A second try with another address (e.g. after a typo) replaces the unconfirmed account."""
    previous = code.claimed_by
    if previous is None:
        return
    if not EmailAddress.objects.filter(user=previous, verified=True).exists():
        previous.delete()
    code.claimed_by = None


class ConfirmationError(PortalError):
    pass


class RegistrationLimitError(PortalError):
    """Too many accounts created with one code in a short time."""


class RegistrationConflictError(PortalError):
    """Another request claimed the code while this one was being sent."""


_CONFLICT = _(
    "This registration code was used in another window or on another device at the same "
    "time. Please look for our e-mail with the confirmation code, or start again with the "
    "code from your letter."
)


def registration_confirm_by_code(*, code: RegistrationCode, typed: str, request) -> User:
    """Confirm with the six digits from the e-mail, in the browser that started the sign-up."""
    with transaction.atomic():
        code = RegistrationCode.objects.select_for_update().get(pk=code.pk)
        if code.confirmation_attempts >= settings.REGISTRATION_CONFIRMATION_MAX_ATTEMPTS:
            raise ConfirmationError(
                _(
                    "Too many wrong codes. Please use the link in the e-mail, or start again "
                    "with the code from your letter."
                ),
                code="too_many",
            )
        valid_for = timedelta(hours=settings.REGISTRATION_CONFIRMATION_CODE_HOURS)
        if code.claimed_at is None or timezone.now() - code.claimed_at > valid_for:
            raise ConfirmationError(
                _(
                    "This code has expired. Please use the link in the e-mail, or start again "
                    "with the code from your letter."
                ),
                code="code_expired",
            )
        expected = code.confirmation_code_hash
        matches = bool(expected) and hmac.compare_digest(expected, _confirmation_hash(code, typed))
        if matches:
            address = EmailAddress.objects.get(user=code.claimed_by, primary=True)
            return _complete(code=code, address=address, request=request)
        # Counted outside any rollback: the error below must not undo the attempt.
        code.confirmation_attempts += 1
        code.save(update_fields=["confirmation_attempts"])
    raise ConfirmationError(
        _("This code is not right. Please check the six digits in the e-mail."), code="wrong"
    )


def registration_confirm_by_link(*, key: str, request) -> User:
    """Confirm with the link from the e-mail, on any device."""
    confirmation = EmailConfirmationHMAC.from_key(key)
    if confirmation is None:
        raise _invalid_link()
    address = confirmation.email_address
    with transaction.atomic():
        code = (
            RegistrationCode.objects.select_for_update(of=("self",))
            .filter(claimed_by=address.user_id)
            .order_by("-claimed_at")
            .first()
        )
        if code is None:
            raise _invalid_link()
        return _complete(code=code, address=address, request=request)


def _invalid_link() -> ConfirmationError:
    return ConfirmationError(
        _(
            "This link is no longer valid. It may have been used already or be older than "
            "three days. Please start again with the code from your letter."
        ),
        code="invalid_link",
    )


def _complete(*, code: RegistrationCode, address: EmailAddress, request) -> User:
    """The last step: the code is used, the account linked to the tenant and welcomed.

    Runs inside the caller's transaction with the code row locked.
    """
    _link(code=code, address=address, request=request)
    # Marks the address verified through allauth (signals, messages) after the link exists,
    # so the email_confirmed receiver below finds nothing left to do.
    EmailConfirmationHMAC(address).confirm(request)
    return address.user


def _link(*, code: RegistrationCode, address: EmailAddress, request) -> None:
    tenant = Tenant.objects.select_for_update().get(pk=code.tenant_id)
    if code.status != RegistrationCode.Status.VALID or tenant.user_id is not None:
        raise ConfirmationError(
            _(
                "Your registration code is no longer valid (for example because a newer letter "
                "was sent). Please start again with the newest letter."
            ),
            code="code_no_longer_valid",
        )
    code.used_at = timezone.now()
    code.confirmation_code_hash = ""
    code.save(update_fields=["used_at", "confirmation_code_hash"])
    user = address.user
    tenant.user = user
    if not tenant.email:
        tenant.email = user.email
    tenant.save(update_fields=["user", "email", "updated_at"])
    if code.paperless_requested:
        tenant_paperless_consent_set(tenant=tenant, consent=True, by=user)
    base_url = request.build_absolute_uri("/") if request else settings.PORTAL_BASE_URL
    email_queue(
        to=user.email,
        template="registration_welcome",
        context={"tenant": tenant, "portal_url": base_url},
    )
    logger.info("Registration completed for tenant %s", tenant.tenant_number)


def registration_complete_for_address(*, address: EmailAddress, request) -> bool:
    """allauth confirmed an address some other way (its own mail after a login attempt).

    If that address belongs to an account waiting for its letter code, finish the
    registration now instead of leaving a confirmed account without a tenancy.
    """
    with transaction.atomic():
        code = (
            RegistrationCode.objects.select_for_update(of=("self",))
            .filter(claimed_by=address.user_id, used_at__isnull=True)
            .order_by("-claimed_at")
            .first()
        )
        if code is None:
            return False
        try:
            _link(code=code, address=address, request=request)
        except ConfirmationError:
            logger.warning("Confirmed address of an account whose letter code is no longer valid")
            return False
    return True
