"""The permission matrix (tenants/permissions.py), asserted for every admin URL and button.

The admin URLs come from the URL resolver, so a page nobody listed in the matrix fails here.
Every (role, URL) and every (role, button) is one test. Clerks are members of the real groups
(`manage.py sync_clerk_groups`), never superusers; the superuser is a role of its own.

One set of data serves the whole module: it is created once inside a transaction that is
rolled back when the module is done, and every test runs in a savepoint inside it.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse

from tenants import permissions as matrix
from tenants.roles import GROUP_NAMES
from tests.tenants.factories import (
    ContactPersonFactory,
    ContractFactory,
    StaffFactory,
    TeamFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db

NEW_IBAN = "DE02100100100006820101"
NEW_IBAN_SHOWN = "DE02 1001 0010 0006 8201 01"
OLD_IBAN = "DE89370400440532013000"
OLD_IBAN_SHOWN = "DE89 3704 0044 0532 0130 00"
PDF = b"%PDF-1.4\n% permission matrix\n"
CONVERSATION = "Im Treppenhaus ist das Licht kaputt."
DJANGO_SUBMITS = {"_save", "_continue", "_addanother", "_saveasnew"}
# Everything a forbidden button could have touched.
SNAPSHOT_APPS = (
    "tenants",
    "documents",
    "registration",
    "contracts",
    "requests",
    "consumption",
    "account",
)


# The admin URLs, from the URL resolver.


@dataclass(frozen=True)
class AdminUrl:
    key: str  # the test id
    name: str | None  # the admin URL name
    model: str | None  # the ModelAdmin the URL belongs to (label)
    page: str | None  # one of the model's standard pages
    kwargs: tuple[str, ...] = ()  # the URL's arguments
    app_label: str | None = None  # for app_list


def _admin_resolver() -> URLResolver:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == admin.site.name:
            return entry
    raise AssertionError("admin.site.urls is not in the root URLconf")


def _leaves(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _leaves(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix, entry


def admin_urls() -> list[AdminUrl]:
    prefixes = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model._meta.label_lower
        for model in admin.site._registry
    }
    found = []
    for prefix, pattern in _leaves(_admin_resolver().url_patterns):
        label = prefixes.get(prefix)
        route = str(pattern.pattern)
        name = pattern.name
        kwargs = tuple(getattr(pattern.pattern, "converters", {}))
        if label:
            app, model = label.split(".")
            pages = {f"{app}_{model}_{page}": page for page in matrix.MODEL_PAGES}
            if name in pages:
                found.append(AdminUrl(name, name, label, pages[name], kwargs))
                continue
            if name is None and route == "<path:object_id>/":
                key = f"{app}_{model}_object_redirect"
                found.append(AdminUrl(key, None, label, matrix.OBJECT_REDIRECT, kwargs))
                continue
        if name == "app_list":
            for app_label in sorted({m._meta.app_label for m in admin.site._registry}):
                found.append(AdminUrl(f"app_list[{app_label}]", name, None, None, (), app_label))
        elif name is None and route == "(?P<url>.*)$":
            found.append(AdminUrl("catch_all", "catch_all", None, None))
        else:
            # An unnamed custom URL gets a key that cannot be in the matrix, so it fails.
            found.append(AdminUrl(name or f"unnamed {prefix}{route}", name, label, None, kwargs))
    return found


ADMIN_URLS = admin_urls()


def expected_for_url(admin_url: AdminUrl, role: str) -> str:
    if admin_url.page:
        return matrix.model_page_answer(admin_url.model, admin_url.page, role)
    if admin_url.app_label:
        return matrix.app_index_answer(admin_url.app_label, role)
    return matrix.view_get(admin_url.key).answer(role)


# The data, once per module.


@dataclass
class World:
    media_root: Path
    users: dict = field(default_factory=dict)  # role -> user
    sessions: dict = field(default_factory=dict)  # role -> session key
    pk: dict = field(default_factory=dict)  # model label -> pk of an object of it
    objects: dict = field(default_factory=dict)  # named objects for the buttons
    _form_data: dict = field(default_factory=dict)

    def form_data(self, obj) -> dict:
        """The change form of `obj` as the superuser's browser would send it back."""
        key = (obj._meta.label_lower, obj.pk)
        if key not in self._form_data:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[matrix.SUPERUSER]
            response = client.get(_change_url(obj))
            assert response.status_code == 200
            self._form_data[key] = _form_values(response)
        return dict(self._form_data[key])


def _form_values(response) -> dict:
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data


def _change_url(obj) -> str:
    info = obj._meta.app_label, obj._meta.model_name
    return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


def _changelist_url(label: str) -> str:
    return reverse("admin:{}_{}_changelist".format(*label.split(".")))


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 140, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("treppenhaus.jpg", buffer.getvalue(), content_type="image/jpeg")


def _build_world(media_root: Path) -> World:
    from allauth.account.models import EmailAddress

    from consumption.models import Benchmark, ImportRun, Kind, Meter, MonthlyNotice, Reading
    from contracts.banking import iban_check
    from contracts.models import Mandate
    from contracts.rent_account import rent_account_import_text
    from contracts.services import bank_change_submit
    from documents.models import Document, PublishBatch, StaticForm
    from documents.receipts import ReceiptUpload, receipt_set_ensure, receipts_add
    from documents.services import document_publish
    from notices.models import Notice
    from registration.models import LetterBatch
    from registration.services import registration_code_issue
    from requests.attachments import check_uploads
    from requests.defaults import categories_ensure
    from requests.models import Category
    from requests.services import request_create
    from tenants.models import Area, ClerkResponsibility, FaqEntry, Job, OutboundEmail

    world = World(media_root=media_root)
    call_command("sync_clerk_groups", stdout=io.StringIO())
    # Transactional tests that ran before (they flush the database) take the migration's
    # default categories with them.
    categories_ensure(Category)
    tenant = TenantFactory(first_name="Maria", last_name="Müller")
    contract = ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    unit = contract.unit
    world.users[matrix.TENANT] = tenant.user
    for role in matrix.CLERKS:
        clerk = StaffFactory()
        clerk.groups.add(Group.objects.get(name=role))
        world.users[role] = clerk
    world.users[matrix.SUPERUSER] = StaffFactory(is_superuser=True)
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    # Base data.
    ContactPersonFactory(property=unit.property)
    ClerkResponsibility.objects.create(
        property=unit.property,
        area=Area.TECHNICAL,
        team=TeamFactory(area=Area.TECHNICAL, name="Team Technik"),
    )
    FaqEntry.objects.create(topic="Miete", question="Wann wird abgebucht?", answer="Am 3.")
    failed_mail = OutboundEmail.objects.create(
        to="maria@example.org",
        subject="Hallo",
        body_text="Text",
        status=OutboundEmail.Status.FAILED,
    )
    on_paper = TenantFactory(user=None)  # no login: letters, and documents on paper
    unverified = EmailAddress.objects.create(
        user=tenant.user, email="maria.alt@example.org", verified=False, primary=False
    )

    # Documents, one of them still to go out on paper.
    letter = document_publish(
        tenants=[on_paper],
        kind=Document.Kind.SCHREIBEN,
        title="Schreiben",
        year=2025,
        content=PDF,
        filename="schreiben.pdf",
    )
    PublishBatch.objects.create(source=PublishBatch.Source.ADMIN, published=1)
    StaticForm.objects.create(
        title="Lastschriftmandat", file=ContentFile(PDF, name="mandat.pdf"), original_name="x.pdf"
    )
    # Belegeinsicht: the receipts behind the property's operating cost statement.
    receipt_set, _new = receipt_set_ensure(
        property=unit.property, kind="betriebskostenabrechnung", period="2025"
    )
    (receipt,) = receipts_add(
        receipt_set=receipt_set,
        uploads=[ReceiptUpload("hausmeister.pdf", PDF, "Hausmeisterdienst 2025", Decimal("1"))],
        by=None,
    )

    # Registration.
    registration_code_issue(tenant=on_paper)
    LetterBatch.objects.create(source=LetterBatch.Source.ADMIN, letter_count=1)
    # The activation overview's letters: a current tenant of the property without any code.
    ContractFactory(unit__property=unit.property, partners=[TenantFactory(user=None)])

    # A finished job with its PDF. Started by accounting so that every role that may open the
    # jobs sees it: customer service through the kind's permission, accounting as its own.
    Job.objects.create(
        kind="registration_letters",
        scope="property:0",
        created_by=world.users[matrix.MIETENBUCHHALTUNG],
        state=Job.State.DONE,
        result_file=ContentFile(PDF, name="registrierungsbriefe.pdf"),
    )

    # Bank details: the current mandate and an open change.
    old = iban_check(OLD_IBAN)
    Mandate.objects.create(
        contract=contract,
        reference="1001-W01-01-M01",
        signed_on=date(2020, 1, 1),
        valid_from=date(2020, 1, 1),
        holder_name="Maria Müller",
        iban=old.iban,
        iban_last4=old.iban[-4:],
        bic=old.bic,
        bank_name=old.bank_name,
    )
    bank_change = bank_change_submit(
        tenant=tenant,
        contract=contract,
        checked_iban=iban_check(NEW_IBAN),
        holder_name="Maria Müller",
        holder_is_tenant=True,
    )
    # Mietkonto, as the ERP import leaves it.
    rent_account_import_text(
        text='{"type": "balance", "contract": "1001-W01-01", "date": "2025-01-31", '
        '"balance": "83.50", "open_since": "2025-01-03"}\n'
        '{"type": "posting", "contract": "1001-W01-01", "id": "B-1", '
        '"booking_date": "2025-01-03", "kind": "soll", "text": "Miete", "amount": "860.00"}\n'
    )

    # Kontakt: a plain request with a photo first (its pages are the model's pages), then
    # a change of address and a request for a document.
    general = request_create(
        tenant=tenant,
        category=Category.objects.filter(form=Category.Form.PLAIN).order_by("pk").first(),
        message=CONVERSATION,
        subject="Licht im Treppenhaus",
        unit=unit,
        files=check_uploads([_jpeg()]),
        user=tenant.user,
    )
    address = request_create(
        tenant=tenant,
        category=Category.objects.get(form=Category.Form.ADDRESS),
        message="Ich bin umgezogen.",
        unit=unit,
        details={"street": "Neue Straße 5", "postal_code": "20095", "city": "Hamburg"},
        user=tenant.user,
    )
    document_request = request_create(
        tenant=tenant,
        category=Category.objects.get(form=Category.Form.DOCUMENT),
        message="Bitte die Mietbescheinigung.",
        unit=unit,
        details={"document": "Mietbescheinigung", "year": "2025"},
        user=tenant.user,
    )

    # Consumption.
    meter = Meter.objects.create(
        unit=unit, kind=Kind.HEATING, serial="HZ-0001", measure_unit=Meter.MeasureUnit.KWH
    )
    Reading.objects.create(meter=meter, month=date(2025, 1, 1), value=Decimal("120.5"))
    Benchmark.objects.create(
        property=unit.property, month=date(2025, 1, 1), kind=Kind.HEATING, per_m2=Decimal("1.2")
    )
    ImportRun.objects.create(file_name="verbrauch-2025-01.csv", rows=1, accepted=1)
    MonthlyNotice.objects.create(tenant=tenant, month=date(2025, 1, 1))
    # Notices (Aushänge): one for the tenant's property, as a clerk of Technik posts it.
    Notice.objects.create(
        property=unit.property,
        title="Aufzug außer Betrieb",
        text="Bis Freitag.",
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 1, 31),
    )

    world.objects.update(
        tenant=tenant,
        unverified=unverified,
        on_paper=on_paper,
        failed_mail=failed_mail,
        delivery=letter.deliveries.get(),
        bank_change=bank_change,
        general=general,
        address=address,
        document_request=document_request,
        attachment=general.attachments.get(),
        property=unit.property,
        receipt=receipt,
    )
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        world.pk[model._meta.label_lower] = first.pk if first else None
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    # pytest-django ends every test with TestCase.tearDownClass, which closes the connection:
    # harmless for SQLite's in-memory test database, but on PostgreSQL it would end the module's
    # transaction. The connection stays open while this module runs.
    keep_open = pytest.MonkeyPatch()
    keep_open.setattr(connections["default"], "close", lambda: None)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = _build_world(media_root)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            keep_open.undo()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    keep_open.undo()


@pytest.fixture(autouse=True)
def _media_root(settings, world):
    """The module's files live as long as its data (overrides the conftest's per-test folder)."""
    settings.MEDIA_ROOT = world.media_root


def _log_in(client, world, role):
    if role != matrix.ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]


def _snapshot() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app in SNAPSHOT_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


_LOGIN_PATHS = {reverse("admin:login"), reverse(settings.LOGIN_URL)}


def assert_answer(response, expected: str, what: str) -> None:
    location = urlsplit(response.get("Location", "")).path
    got = f"{response.status_code} {location}".strip()
    if expected == matrix.LOGIN:
        assert response.status_code == 302 and location in _LOGIN_PATHS, f"{what}: {got}"
    elif expected == matrix.REDIRECT:
        assert response.status_code in (301, 302) and location not in _LOGIN_PATHS, f"{what}: {got}"
    else:
        status = {
            matrix.MAY: 200,
            matrix.FORBIDDEN: 403,
            matrix.NOT_FOUND: 404,
            matrix.POST_ONLY: 405,
        }[expected]
        assert response.status_code == status, f"{what}: expected {status}, got {got}"


# The matrix itself.


def test_the_clerk_roles_are_the_clerk_groups():
    assert set(matrix.CLERKS) == set(GROUP_NAMES.values())


def test_every_admin_url_is_in_the_matrix():
    missing = []
    for admin_url in ADMIN_URLS:
        try:
            expected_for_url(admin_url, matrix.SUPERUSER)
        except KeyError as error:
            missing.append(error.args[0])
    assert not missing, "\n".join(missing)


def test_the_matrix_names_only_registered_admins_and_real_permissions():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert {model.label for model in matrix.MODELS} == registered
    names = {admin_url.key for admin_url in ADMIN_URLS}
    assert {view.name for view in matrix.VIEWS} <= names, "the matrix lists a URL that is gone"
    needed = {
        perm
        for entry in (*matrix.VIEWS, *matrix.BUTTONS, *matrix.SIGHTS)
        for perm in entry.needs.split(" + ")
        if "." in perm
    }
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert needed <= existing


def test_docs_show_the_current_matrix():
    docs = Path(settings.BASE_DIR) / "docs" / "permissions.md"
    assert docs.read_text(encoding="utf-8") == matrix.markdown(), (
        "docs/permissions.md is out of date: python -m tenants.permissions > docs/permissions.md"
    )


# Every admin URL as every role.


def _url_for(admin_url: AdminUrl, world: World) -> tuple[str, dict]:
    index = reverse("admin:index")
    if admin_url.page == matrix.OBJECT_REDIRECT:
        pk = world.pk[admin_url.model]
        return f"{index}{admin_url.model.replace('.', '/')}/{pk}/", {}
    if admin_url.key == "catch_all":
        return f"{index}gibt-es-nicht/", {}
    if admin_url.app_label:
        return reverse("admin:app_list", kwargs={"app_label": admin_url.app_label}), {}
    special = {
        "view_on_site": lambda: {
            "content_type_id": ContentType.objects.get_by_natural_key("tenants", "tenant").pk,
            "object_id": world.objects["tenant"].pk,
        },
        "auth_user_password_change": lambda: {"id": world.pk["tenants.user"]},
        "documents_document_file": lambda: {"pk": world.pk["documents.document"]},
        "documents_receipt_file": lambda: {"pk": world.objects["receipt"].pk},
        "requests_attachment_download": lambda: {"pk": world.objects["attachment"].pk},
        "requests_attachment_thumbnail": lambda: {"pk": world.objects["attachment"].pk},
        "registration_activation_letters": lambda: {"property_id": world.objects["property"].pk},
    }
    queries = {
        "autocomplete": {
            "app_label": "requests",
            "model_name": "contactrequest",
            "field_name": "assigned_to",
            "term": "",
        },
    }
    if admin_url.name in special:
        kwargs = special[admin_url.name]()
    else:
        pk = world.pk.get(admin_url.model)
        assert pk is not None or not admin_url.kwargs, (
            f"create a {admin_url.model} in _build_world() so its pages can be opened"
        )
        kwargs = dict.fromkeys(admin_url.kwargs, pk)
    return reverse(f"admin:{admin_url.name}", kwargs=kwargs), queries.get(admin_url.name, {})


@pytest.mark.parametrize(
    ("admin_url", "role"),
    [
        pytest.param(admin_url, role, id=f"{role}:{admin_url.key}")
        for admin_url in ADMIN_URLS
        for role in matrix.ROLES
    ],
)
def test_admin_url_answers_as_the_matrix_says(client, world, admin_url, role):
    expected = expected_for_url(admin_url, role)
    url, query = _url_for(admin_url, world)
    _log_in(client, world, role)

    response = client.get(url, query)

    assert_answer(response, expected, f"GET {url} as {role}")
    if admin_url.page == "changelist" and expected == matrix.MAY:
        action_form = response.context["action_form"]
        offered = (
            {name for name, _ in action_form.fields["action"].choices if name}
            if (action_form)
            else set()
        )
        assert offered == matrix.actions_offered(admin_url.model, role)
    if admin_url.page == "change" and expected == matrix.MAY:
        # The same page serves viewing and changing: what it allows is in its context.
        operations = matrix.model_get(admin_url.model).operations(role)
        allowed = {op for op in matrix.OPERATIONS if response.context[f"has_{op}_permission"]}
        assert allowed == operations
    response.close()


# Every button and action as every role.


@dataclass(frozen=True)
class Recipe:
    press: Callable  # (client, world) -> response
    done: Callable  # (world, role, response) -> bool: the button did its work


def _button(obj_name: str, button: str, **extra) -> Callable:
    def press(client, world):
        obj = world.objects[obj_name]
        data = {**world.form_data(obj), button: "1", **extra}
        files = {key: value() for key, value in data.items() if callable(value)}
        return client.post(_change_url(obj), {**data, **files})

    return press


def _action(label: str, action: str, obj_name: str) -> Callable:
    def press(client, world):
        return client.post(
            _changelist_url(label),
            {"action": action, "_selected_action": [world.objects[obj_name].pk]},
        )

    return press


def _upload(client, world):
    return client.post(
        reverse("admin:documents_document_upload"),
        {
            "kind": "sonstiges",
            "period": "2025",
            "title": "Schreiben an Sie",
            "files": [SimpleUploadedFile("schreiben.pdf", PDF, "application/pdf")],
            "tenant_number": world.objects["tenant"].tenant_number,
        },
    )


def _fresh(world, name):
    obj = world.objects[name]
    return obj._meta.model._default_manager.get(pk=obj.pk)


def _fresh_job(world, role):
    from tenants.models import Job

    return Job.objects.filter(created_by=world.users[role]).latest("pk")


def _assigned_to_me(name):
    return lambda world, role, response: _fresh(world, name).assigned_to == world.users[role]


RECIPES: dict[str, Recipe] = {
    "contracts.approve": Recipe(
        _button("bank_change", "_approve"),
        lambda world, role, response: _fresh(world, "bank_change").status == "approved",
    ),
    "contracts.reject": Recipe(
        _button("bank_change", "_reject", decision_reason="Das Konto gehört nicht Ihnen."),
        lambda world, role, response: _fresh(world, "bank_change").status == "rejected",
    ),
    "contracts.take_over": Recipe(
        _button("bank_change", "_take_over"), _assigned_to_me("bank_change")
    ),
    "contracts.take_over_action": Recipe(
        _action("contracts.bankchangerequest", "take_over", "bank_change"),
        _assigned_to_me("bank_change"),
    ),
    "requests.reply": Recipe(
        _button("general", "_reply", reply_body="Wir kümmern uns.", reply_status=""),
        lambda world, role, response: (
            _fresh(world, "general").messages.filter(body="Wir kümmern uns.").exists()
        ),
    ),
    "requests.take_over": Recipe(_button("general", "_take_over"), _assigned_to_me("general")),
    "requests.take_over_action": Recipe(
        _action("requests.contactrequest", "take_over", "general"), _assigned_to_me("general")
    ),
    "requests.apply_address": Recipe(
        _button("address", "_apply_address"),
        lambda world, role, response: _fresh(world, "tenant").street == "Neue Straße 5",
    ),
    "requests.send_document": Recipe(
        _button(
            "document_request",
            "_send_document",
            document_title="Mietbescheinigung 2025",
            document_file=lambda: SimpleUploadedFile("mb.pdf", PDF, "application/pdf"),
        ),
        lambda world, role, response: _fresh(world, "document_request").status == "done",
    ),
    "documents.upload": Recipe(
        _upload,
        lambda world, role, response: (
            world.objects["tenant"].deliveries.filter(document__title="Schreiben an Sie").exists()
        ),
    ),
    "documents.export_paper_list": Recipe(
        _action("documents.delivery", "export_paper_list", "delivery"),
        lambda world, role, response: (
            response["Content-Type"].startswith("text/csv")
            and world.objects["on_paper"].tenant_number in response.content.decode()
        ),
    ),
    "documents.mark_paper_sent": Recipe(
        _action("documents.delivery", "mark_paper_sent", "delivery"),
        lambda world, role, response: _fresh(world, "delivery").paper_sent_at is not None,
    ),
    "registration.issue_letters": Recipe(
        _action("tenants.tenant", "issue_registration_letters", "on_paper"),
        # The letters run as a job: the action answers with the job's page at once.
        lambda world, role, response: (
            response.status_code == 302
            and _fresh_job(world, role).kind == "registration_letters"
            and response["Location"] == _change_url(_fresh_job(world, role))
        ),
    ),
    "registration.activation_letters": Recipe(
        lambda client, world: client.post(
            reverse("admin:registration_activation_letters", args=[world.objects["property"].pk])
        ),
        lambda world, role, response: (
            response.status_code == 302
            and _fresh_job(world, role).scope == f"property:{world.objects['property'].pk}"
            and response["Location"] == _change_url(_fresh_job(world, role))
        ),
    ),
    "account.make_verified": Recipe(
        _action("account.emailaddress", "make_verified", "unverified"),
        lambda world, role, response: _fresh(world, "unverified").verified,
    ),
    "tenants.requeue": Recipe(
        _action("tenants.outboundemail", "requeue", "failed_mail"),
        lambda world, role, response: _fresh(world, "failed_mail").status == "pending",
    ),
}


def test_every_button_has_a_recipe():
    assert set(RECIPES) == {button.key for button in matrix.BUTTONS}


@pytest.mark.parametrize(
    ("button", "role"),
    [
        pytest.param(button, role, id=f"{role}:{button.key}")
        for button in matrix.BUTTONS
        for role in matrix.ROLES
    ],
)
def test_button_answers_as_the_matrix_says(client, world, button, role):
    recipe = RECIPES[button.key]
    expected = button.answer(role)
    _log_in(client, world, role)
    before = _snapshot()

    response = recipe.press(client, world)

    what = f"{button.title} as {role}"
    if expected == matrix.MAY:
        assert response.status_code in (200, 302), f"{what}: {response.status_code}"
        assert recipe.done(world, role, response), f"{what}: nothing happened"
        return
    may_open_list = matrix.model_page_answer(button.model, "changelist", role) == matrix.MAY
    if expected == matrix.FORBIDDEN and button.kind == "action" and may_open_list:
        # Not offered (the change-list test checks the offered actions): the list shows
        # again, or says "no action selected".
        assert response.status_code in (200, 302), f"{what}: {response.status_code}"
    else:
        assert_answer(response, expected, what)
    assert _snapshot() == before, f"{what}: refused, but something changed"


def test_every_button_on_a_change_page_is_in_the_matrix(client, world):
    """A new button on a change page fails until the matrix says who may press it."""
    _log_in(client, world, matrix.SUPERUSER)
    listed = {(b.model, b.name) for b in matrix.BUTTONS if b.kind == "button"}
    unlisted = set()
    for model in admin.site._registry:
        label = model._meta.label_lower
        for obj in model._default_manager.order_by("pk")[:5]:
            html = client.get(_change_url(obj)).content.decode()
            for name in re.findall(r'<(?:input|button)[^>]*\bname="(_\w+)"', html):
                if name not in DJANGO_SUBMITS and (label, name) not in listed:
                    unlisted.add((label, name))
    assert not unlisted, f"buttons missing in tenants/permissions.py BUTTONS: {sorted(unlisted)}"


# What some roles see inside a page they may open.


@pytest.mark.parametrize(
    ("sight", "role"),
    [
        pytest.param(sight, role, id=f"{role}:{sight.key}")
        for sight in matrix.SIGHTS
        for role in matrix.STAFF
        if matrix.model_page_answer(sight.model, "change", role) == matrix.MAY
    ],
)
def test_sight_as_the_matrix_says(client, world, sight, role):
    _log_in(client, world, role)
    if sight.key == "contracts.full_iban":
        pages = {NEW_IBAN_SHOWN: _change_url(world.objects["bank_change"])}
        if matrix.model_page_answer("contracts.mandate", "change", role) == matrix.MAY:
            pages[OLD_IBAN_SHOWN] = reverse(
                "admin:contracts_mandate_change", args=[world.pk["contracts.mandate"]]
            )
        for full, url in pages.items():
            html = client.get(url).content.decode()
            assert (full in html) is sight.shown_to(role), f"{url} as {role}"
            assert full[-2:] in html  # the masked form still names the last digits
    elif sight.key == "requests.conversation":
        html = client.get(_change_url(world.objects["general"])).content.decode()
        attachment = world.objects["attachment"].original_name
        assert (CONVERSATION in html) is sight.shown_to(role)
        assert (attachment in html) is sight.shown_to(role)
    elif sight.key.startswith("workplace."):
        html = client.get(reverse("admin:index")).content.decode()
        panel = sight.key.removeprefix("workplace.")
        assert (f'data-panel="{panel}"' in html) is sight.shown_to(role)
    else:
        pytest.fail(f"no check for {sight.key}")
