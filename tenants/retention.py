"""The retention schedule: what the portal deletes or anonymises, and when (GDPR Art. 5(1)(e)).

`RULES` is the one list; docs/privacy.md ("Aufbewahrung und Löschung") explains it in words.
`retention_apply()` runs it: daily from Celery beat (`tenants.tasks.retention_apply_task`) and by
hand with `manage.py apply_retention [--dry-run]`. It also closes the accounts whose tenancy ended
long enough ago (tenants/tenancy_state.py), because that is the same kind of "no longer needed".

Every rule works in batches of primary keys (memory stays flat however old the database is) and
is idempotent: a second run finds nothing due. Models of other apps are named by label, never
imported (the base layer imports no area); a rule whose app is not installed is reported as
skipped.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Tenant, User
from .services import email_queue, tenant_paperless_consent_set
from .tenancy_state import (
    CLOSED_ACTION,
    NOTICE_ACTION,
    NOTICE_MONTHS_BEFORE,
    READ_ONLY_MONTHS,
    TenancyState,
    add_months,
    ended_tenancies,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
DELETE = "delete"
ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Period:
    """How long something is kept. `from_year_end`: counted from the end of the calendar year
    the record was made in, as § 147 Abs. 4 AO counts."""

    days: int = 0
    months: int = 0
    years: int = 0
    from_year_end: bool = False

    def cutoff(self, now: datetime) -> datetime:
        """Records dated before this moment are due."""
        local = timezone.localtime(now)
        if self.from_year_end:
            return local.replace(
                year=local.year - self.years, month=1, day=1, hour=0, minute=0, second=0,
                microsecond=0,
            )  # fmt: skip
        day = add_months(local.date(), -(self.months + 12 * self.years)) - timedelta(self.days)
        return local.replace(year=day.year, month=day.month, day=day.day)

    def __str__(self) -> str:
        if self.years:
            text = f"{self.years} years"
        elif self.months:
            text = f"{self.months} months"
        else:
            text = f"{self.days} days"
        return text + (" from the end of the year" if self.from_year_end else "")


@dataclass(frozen=True)
class RetentionRule:
    """One line of the schedule.

    The rule is about the rows of `model` matching `scope`. Of those, the ones dated
    (`date_field`) before the kept time that also match `eligible` are due; rows matching `done`
    were already anonymised. `files` are FileFields whose files go with a deleted row.
    """

    key: str
    what: Any  # lazy text
    model: str
    date_field: str
    keep: Period
    action: str
    reason: Any  # lazy text: the legal reason
    kept_because: Any  # lazy text: why rows not yet due stay
    scope: Q = field(default_factory=Q)
    eligible: Q = field(default_factory=Q)
    done: Q | None = None
    anonymise: dict[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()


RULES: list[RetentionRule] = [
    RetentionRule(
        key="outbox-bodies",
        what=_("Text of e-mails sent by the portal (subject, recipient and status stay)"),
        model="tenants.OutboundEmail",
        date_field="created_at",
        keep=Period(days=90),
        action=ANONYMISE,
        reason=_("Art. 5(1)(e) GDPR: needed only to answer questions about a recent e-mail"),
        kept_because=_("younger than 90 days, or not yet delivered"),
        eligible=~Q(status="pending"),
        done=Q(body_text="", body_html=""),
        anonymise={"body_text": "", "body_html": ""},
    ),
    RetentionRule(
        key="request-attachments",
        what=_("Photos and attachments of Kontakt requests (the request and its messages stay)"),
        model="requests.Attachment",
        date_field="request__closed_at",
        keep=Period(years=3),
        action=DELETE,
        reason=_("§ 195 BGB: the regular limitation period, 3 years after the request was closed"),
        kept_because=_("request still open, or closed less than 3 years ago"),
        eligible=Q(request__status="done"),
        files=("file", "thumbnail"),
    ),
    RetentionRule(
        key="sign-in-records",
        what=_("Sign-in records (time, browser, IP address)"),
        model="tenants.AuditEntry",
        date_field="created_at",
        keep=Period(months=12),
        action=DELETE,
        reason=_("Art. 32 GDPR: kept 12 months to detect misuse of an account"),
        kept_because=_("younger than 12 months"),
        scope=Q(action="user.signed_in"),
    ),
    RetentionRule(
        key="signed-in-devices",
        what=_("Signed-in devices not seen for a long time"),
        model="usersessions.UserSession",
        date_field="last_seen_at",
        keep=Period(months=12),
        action=DELETE,
        reason=_("Art. 32 GDPR: kept 12 months to detect misuse of an account"),
        kept_because=_("seen within the last 12 months"),
    ),
    RetentionRule(
        key="audit-trail",
        what=_("Audit trail (who changed what, and when)"),
        model="tenants.AuditEntry",
        date_field="created_at",
        keep=Period(years=10, from_year_end=True),
        action=DELETE,
        reason=_("§ 147 AO, § 257 HGB: records of business transactions are kept 10 years"),
        kept_because=_("within the 10-year retention period"),
        scope=~Q(action="user.signed_in"),
    ),
    RetentionRule(
        key="delivery-proof",
        what=_("Proof of delivery of documents (when published, notified, opened, posted)"),
        model="documents.Delivery",
        date_field="published_at",
        keep=Period(years=10, from_year_end=True),
        action=DELETE,
        reason=_("§ 147 AO, § 257 HGB: delivery of statements is kept 10 years"),
        kept_because=_("within the 10-year retention period"),
    ),
]


@dataclass
class RuleResult:
    key: str
    what: str
    action: str
    reason: str
    cutoff: datetime | None
    due: int = 0
    done: int = 0
    kept: int = 0
    kept_because: str = ""
    files_deleted: int = 0
    skipped: str = ""


@dataclass
class AccountsResult:
    """The accounts of ended tenancies: notices sent, accounts closed, and the ones that stay."""

    notices: int = 0
    closed: int = 0
    waiting_after_notice: int = 0
    read_only_kept: int = 0


@dataclass
class RetentionReport:
    now: datetime
    dry_run: bool
    rules: list[RuleResult] = field(default_factory=list)
    accounts: AccountsResult = field(default_factory=AccountsResult)

    def lines(self) -> list[str]:
        verb = "would" if self.dry_run else "did"
        out = [f"Retention run {timezone.localtime(self.now):%Y-%m-%d %H:%M}" + (
            " (dry run: nothing changed)" if self.dry_run else ""
        )]  # fmt: skip
        for rule in self.rules:
            if rule.skipped:
                out.append(f"- {rule.key}: skipped ({rule.skipped})")
                continue
            count = rule.due if self.dry_run else rule.done
            files = f", {rule.files_deleted} file(s)" if rule.files_deleted else ""
            out.append(
                f"- {rule.key}: {verb} {rule.action} {count}{files} "
                f"(older than {timezone.localtime(rule.cutoff):%Y-%m-%d}; {rule.reason}); "
                f"kept {rule.kept}: {rule.kept_because}"
            )
        acc = self.accounts
        out.append(
            f"- accounts after the tenancy: {verb} send {acc.notices} closing notice(s), "
            f"{verb} close {acc.closed} account(s); kept {acc.waiting_after_notice} notified "
            f"(closing after the notice month) and {acc.read_only_kept} read-only "
            f"(less than {READ_ONLY_MONTHS - NOTICE_MONTHS_BEFORE} months after the end)"
        )
        return out


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _delete_files(names: list[tuple[Any, str]]) -> int:
    deleted = 0
    for storage, name in names:
        try:
            storage.delete(name)
            deleted += 1
        except OSError:
            # Row gone, file left: orphaned_files_cleanup (tenants/files.py) finds it.
            logger.warning("Could not delete %s", name, exc_info=True)
    return deleted


def _batches(queryset: models.QuerySet, batch_size: int):
    """Primary keys of the queryset, a batch at a time, re-queried (the rows change meanwhile)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return
        last = pks[-1]
        yield pks


def rule_apply(
    rule: RetentionRule, *, now: datetime, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> RuleResult:
    result = RuleResult(
        key=rule.key,
        what=str(rule.what),
        action=rule.action,
        reason=str(rule.reason),
        cutoff=rule.keep.cutoff(now),
        kept_because=str(rule.kept_because),
    )
    model = _model(rule.model)
    if model is None:
        result.skipped = f"{rule.model} is not installed"
        return result
    manager = model._default_manager
    concerned = manager.filter(rule.scope)
    if rule.done is not None:
        concerned = concerned.exclude(rule.done)
    due = concerned.filter(rule.eligible, **{f"{rule.date_field}__lt": result.cutoff})
    result.due = due.count()
    result.kept = concerned.count() - result.due
    if dry_run or not result.due:
        return result
    storages = {name: model._meta.get_field(name).storage for name in rule.files}
    for pks in _batches(due, batch_size):
        with transaction.atomic():
            rows = due.filter(pk__in=pks)
            if rule.action == ANONYMISE:
                result.done += rows.update(**rule.anonymise)
                continue
            files = (
                [
                    (storages[name], value)
                    for values in rows.values_list(*rule.files)
                    for name, value in zip(rule.files, values, strict=True)
                    if value
                ]
                if rule.files
                else []
            )
            result.done += rows.delete()[1].get(model._meta.label, 0)
            files = _unreferenced(model, rule.files, files)
            if files:
                transaction.on_commit(lambda files=files: _count_files(result, files))
    logger.info("Retention %s: %s %d row(s)", rule.key, rule.action, result.done)
    return result


def _unreferenced(
    model: type[models.Model], fields: tuple[str, ...], files: list[tuple[Any, str]]
) -> list[tuple[Any, str]]:
    """The files no remaining row refers to (rows may share a file, e.g. a forwarded photo)."""
    if not files:
        return files
    names = {name for _storage, name in files}
    used: set[str] = set()
    for field_name in fields:
        used.update(
            model._default_manager.filter(**{f"{field_name}__in": names}).values_list(
                field_name, flat=True
            )
        )
    return [(storage, name) for storage, name in files if name not in used]


def _count_files(result: RuleResult, files: list[tuple[Any, str]]) -> None:
    result.files_deleted += _delete_files(files)


# The accounts of ended tenancies
# ------------------------------------------------------------------------------


def _notice_dates(user_ids: list[int]) -> dict[int, date]:
    rows = AuditEntry.objects.filter(
        action=NOTICE_ACTION, object_type=User._meta.label, object_id__in=[str(i) for i in user_ids]
    ).values_list("object_id", "created_at")
    found: dict[int, date] = {}
    for object_id, created_at in rows:
        day = timezone.localdate(created_at)
        found[int(object_id)] = min(day, found.get(int(object_id), day))
    return found


def _audit(action: str, *, user: User, tenant: Tenant, now: datetime, changes: dict) -> None:
    # audit_log() stamps the wall clock; the run's own `now` dates the row (the notice's date
    # decides when the account closes), so a catch-up run or a test for another day is right.
    AuditEntry.objects.create(
        action=action,
        object_type=User._meta.label,
        object_id=str(user.pk),
        tenant=tenant,
        changes=changes,
        created_at=now,
    )


def _closing_notice_send(tenant: Tenant, *, closes_on: date, now: datetime) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=tenant.user_id)
        if AuditEntry.objects.filter(
            action=NOTICE_ACTION, object_type=User._meta.label, object_id=str(user.pk)
        ).exists():
            return
        _audit(
            NOTICE_ACTION,
            user=user,
            tenant=tenant,
            now=now,
            changes={"closes_on": closes_on.isoformat(), "email": user.email},
        )
        email_queue(
            to=user.email,
            template="account_closing_notice",
            context={"tenant": tenant, "account_email": user.email, "closes_on": closes_on},
            language=user.language,
        )


def _account_close(tenant: Tenant, *, ended_on: date, now: datetime) -> bool:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=tenant.user_id)
        if not user.is_active:
            return False
        user.is_active = False
        user.save(update_fields=["is_active"])
        # From now on anything still sent to the former tenant goes by post.
        tenant_paperless_consent_set(tenant=tenant, consent=False)
        _audit(
            CLOSED_ACTION,
            user=user,
            tenant=tenant,
            now=now,
            changes={"email": user.email, "tenancy_ended_on": ended_on.isoformat()},
        )
        email_queue(
            to=user.email,
            template="account_closing_closed",
            context={"tenant": tenant, "account_email": user.email},
            language=user.language,
        )
    return True


def accounts_after_tenancy_apply(
    *, now: datetime, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> AccountsResult:
    """Send the closing notice a month before, then close the login 15 months after the end.

    The notice is marked by its audit row, so it goes out once; the account closes no earlier
    than a month after the notice, even if the daily run was down when the notice was due.
    """
    result = AccountsResult()
    on = timezone.localdate(now)
    notice_from = add_months(on, -(READ_ONLY_MONTHS - NOTICE_MONTHS_BEFORE))
    ended = ended_tenancies(on)
    result.read_only_kept = ended.filter(last_end__gt=notice_from).count()
    in_window = ended.filter(last_end__lte=notice_from).select_related("user")
    for pks in _batches(in_window, batch_size):
        tenants = list(in_window.filter(pk__in=pks).order_by("pk"))
        notices = _notice_dates([tenant.user_id for tenant in tenants])
        for tenant in tenants:
            state = TenancyState(ended_on=tenant.last_end)
            noticed_on = notices.get(tenant.user_id)
            if noticed_on is None:
                result.notices += 1
                if not dry_run:
                    closes_on = max(state.closes_on, add_months(on, NOTICE_MONTHS_BEFORE))
                    _closing_notice_send(tenant, closes_on=closes_on, now=now)
                continue
            closes_on = max(state.closes_on, add_months(noticed_on, NOTICE_MONTHS_BEFORE))
            if on < closes_on:
                result.waiting_after_notice += 1
            elif dry_run or _account_close(tenant, ended_on=state.ended_on, now=now):
                result.closed += 1
    return result


def retention_apply(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    rules: list[RetentionRule] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] | None = None,
) -> RetentionReport:
    """Run the schedule once. `now` lets tests (and a catch-up) run it for another day."""
    now = now or timezone.now()
    report = RetentionReport(now=now, dry_run=dry_run)
    # The report is an operations log, in English like the rest of them; the e-mails to tenants
    # are written in each account's language (email_queue).
    with translation.override("en"):
        for rule in RULES if rules is None else rules:
            report.rules.append(rule_apply(rule, now=now, dry_run=dry_run, batch_size=batch_size))
            if progress:
                progress(rule.key)
        report.accounts = accounts_after_tenancy_apply(
            now=now, dry_run=dry_run, batch_size=batch_size
        )
    for line in report.lines():
        logger.info(line)
    return report
