"""Who may see and do what in the clerks' workplace: the permission matrix, in one place.

Every admin page, custom admin view, button and admin action, for every role: the three clerk
groups, the superuser, a tenant and an anonymous visitor. The clerks' answers follow the business
rules, not whatever the code happens to do:

- Kundenservice: tenants (and their address), contact persons, FAQ, Kontakt requests,
  registration letters, uploading documents.
- Mietenbuchhaltung: contracts, bank changes (approve or reject, full IBAN), mandates and rent
  accounts (read), documents, Kontakt requests.
- Technik: units, consumption (meters, benchmarks), Kontakt requests.
- Kundenservice and Technik post notices (Aushänge) for the tenants' buildings.
- Only the superuser edits logins, groups and base data; the audit trail is read-only for all.

`tests/test_permission_matrix.py` walks every admin URL from the URL resolver (a new page fails
until it is listed here), presses every button as every role and asserts these answers.
`docs/permissions.md` is rendered from this module (`python -m tenants.permissions`), and the
test fails when it is out of date.

Base layer: models are named by their labels, so nothing here imports an area.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

# Roles. The clerk roles are the group names of tenants.roles.GROUP_NAMES.
ANONYMOUS = "anonymous"
TENANT = "tenant"
KUNDENSERVICE = "Kundenservice"
MIETENBUCHHALTUNG = "Mietenbuchhaltung"
TECHNIK = "Technik"
SUPERUSER = "superuser"
CLERKS = (KUNDENSERVICE, MIETENBUCHHALTUNG, TECHNIK)
STAFF = (*CLERKS, SUPERUSER)
ROLES = (ANONYMOUS, TENANT, *STAFF)

# Answers.
MAY = "may"  # GET: 200; a button or action does its work
FORBIDDEN = "forbidden"  # 403 (an action is not offered); nothing changes
LOGIN = "login"  # 302 to the login page; nothing changes
NOT_FOUND = "not found"  # 404
REDIRECT = "redirect"  # 302 somewhere else than the login page
POST_ONLY = "POST only"  # 405 on GET

# What a model's admin pages allow.
VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
OPERATIONS = (VIEW, ADD, CHANGE, DELETE)
ALL = frozenset(OPERATIONS)
READ = frozenset({VIEW})
EDIT = frozenset({VIEW, CHANGE})
ADD_EDIT = frozenset({VIEW, ADD, CHANGE})
NONE: frozenset[str] = frozenset()

# The pages Django's ModelAdmin adds for every registered model (URL name suffixes), plus the
# unnamed `<object_id>/` address that redirects to the change page.
MODEL_PAGES = ("changelist", "add", "change", "delete", "history")
OBJECT_REDIRECT = "object_redirect"


def _ops(*operations: str) -> frozenset[str]:
    return frozenset(operations)


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


@dataclass(frozen=True)
class Model:
    """A model's admin pages: what the admin offers at all, and what each clerk group may.

    The superuser gets exactly `offers` (a read-only admin refuses even the superuser).
    """

    label: str  # "app_label.model_name"
    title: str
    offers: frozenset[str]
    clerks: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def operations(self, role: str) -> frozenset[str]:
        if role == SUPERUSER:
            return self.offers
        return self.clerks.get(role, NONE) & self.offers


@dataclass(frozen=True)
class View:
    """An admin address that is not one of a model's standard pages."""

    name: str  # the admin URL name (after "admin:")
    title: str
    needs: str  # the permission it checks ("a + b": both), "staff" or "–"
    answers: Mapping[str, str]

    def answer(self, role: str) -> str:
        return self.answers[role]


@dataclass(frozen=True)
class Button:
    """A button on a change page (`kind="button"`, the submit name), an admin action on a
    change list (`kind="action"`, the action name), or a custom view's form (`kind="form"`)."""

    key: str
    model: str
    kind: str
    name: str
    title: str
    needs: str
    may: frozenset[str]  # the clerk groups that may; the superuser always may

    def answer(self, role: str) -> str:
        if role in (ANONYMOUS, TENANT):
            return LOGIN
        return MAY if role == SUPERUSER or role in self.may else FORBIDDEN


@dataclass(frozen=True)
class Sight:
    """Something shown inside a page only to some of those who may open the page."""

    key: str
    model: str
    title: str
    needs: str
    may: frozenset[str]

    def shown_to(self, role: str) -> bool:
        return role == SUPERUSER or role in self.may


KS, MB, TE = KUNDENSERVICE, MIETENBUCHHALTUNG, TECHNIK

MODELS: tuple[Model, ...] = (
    # Logins and permissions: administrators only. Clerks see users to pick a colleague or a
    # tenant's account (autocomplete needs the view permission), never to edit them.
    Model("auth.group", "Groups", ALL),
    Model("account.emailaddress", "E-mail addresses (allauth)", ALL),
    # A clerk who lost the phone: an administrator removes the second factor (allauth.mfa).
    Model("mfa.authenticator", "Second factors (allauth)", ALL),
    Model("tenants.user", "Users", ALL, {KS: READ, MB: READ, TE: READ}),
    # Base data.
    Model("tenants.property", "Properties", ALL, {KS: READ, MB: READ, TE: READ}),
    Model("tenants.unit", "Units", ALL, {KS: READ, MB: READ, TE: EDIT}),
    Model("tenants.tenant", "Tenants", ALL, {KS: EDIT, MB: READ, TE: READ}),
    Model(
        "tenants.contract",
        "Contracts (Mietverträge)",
        ALL,
        {KS: READ, MB: EDIT, TE: READ},
    ),
    Model("tenants.team", "Teams", ALL, {KS: READ, MB: READ, TE: READ}),
    Model("tenants.clerkresponsibility", "Responsibilities", ALL, {KS: READ, MB: READ, TE: READ}),
    Model("tenants.contactperson", "Contact persons", ALL, {KS: ALL, MB: READ, TE: READ}),
    Model("tenants.faqentry", "FAQ", ALL, {KS: ALL}),
    # Records: nobody edits them (the superuser may remove an outbox row).
    Model("tenants.outboundemail", "Outbox", _ops(VIEW, DELETE), {KS: READ, MB: READ}),
    Model("tenants.auditentry", "Audit trail", READ, {KS: READ, MB: READ}),
    # Jobs (letters, publishing) are started by the areas' buttons and only watched here. The
    # list shows a clerk their own jobs and those of kinds they may start (tenants.jobs).
    Model("tenants.job", "Jobs (letters, publishing)", READ, {KS: READ, MB: READ}),
    # Documents: published through "Upload documents", never added or edited as a record.
    Model("documents.document", "Documents", _ops(VIEW, DELETE), {KS: READ, MB: READ}),
    Model(
        "documents.delivery",
        "Deliveries (proof, paper)",
        EDIT,
        {KS: EDIT, MB: EDIT},
    ),
    Model("documents.publishbatch", "Publishing runs", _ops(VIEW, DELETE), {KS: READ, MB: READ}),
    Model("documents.staticform", "Forms (PDF)", ALL, {KS: ALL}),
    # Belegeinsicht: accounting uploads and corrects receipts; they are records (no delete).
    Model(
        "documents.receiptset",
        "Receipts behind a statement (Belegeinsicht)",
        ADD_EDIT,
        {KS: READ, MB: ADD_EDIT},
    ),
    # Registration letters: a code's history is a record.
    Model("registration.registrationcode", "Registration codes", READ, {KS: READ}),
    Model("registration.letterbatch", "Letter batches", READ, {KS: READ}),
    # Bank details: decided by accounting; customer service sees the state, IBAN masked.
    Model(
        "contracts.bankchangerequest",
        "Bank changes",
        EDIT,
        {KS: READ, MB: EDIT},
    ),
    Model("contracts.mandate", "SEPA mandates", READ, {MB: READ}),
    # Mietkonto: imported from the ERP, read by accounting only.
    Model("contracts.rentaccount", "Rent accounts (Mietkonto)", READ, {MB: READ}),
    # Kontakt: tenants create requests; every clerk group works on them.
    Model(
        "requests.category",
        "Kontakt categories",
        ALL,
        {KS: ADD_EDIT, MB: READ, TE: READ},
    ),
    Model(
        "requests.contactrequest",
        "Kontakt requests",
        EDIT,
        {KS: EDIT, MB: EDIT, TE: EDIT},
    ),
    # Consumption: the technical side; customer service reads to answer tenants.
    Model("consumption.meter", "Meters", ALL, {KS: READ, TE: ADD_EDIT}),
    Model("consumption.reading", "Readings", ALL, {KS: READ, TE: READ}),
    Model("consumption.benchmark", "Benchmarks", ALL, {TE: ADD_EDIT}),
    Model("consumption.importrun", "Import runs", _ops(VIEW, DELETE), {TE: READ}),
    Model("consumption.monthlynotice", "Monthly notices", _ops(VIEW, DELETE), {KS: READ}),
    # Notices (Aushänge): customer service and the technical side post them; accounting does
    # not. A published notice stays on record (who read it): only the superuser deletes.
    Model("notices.notice", "Notices (Aushänge)", ALL, {KS: ADD_EDIT, TE: ADD_EDIT}),
)


def _staff_view(name: str, title: str, answer: str = MAY, *, outside: str = LOGIN) -> View:
    """A view every staff member gets the same answer from."""
    return View(
        name,
        title,
        "staff",
        {ANONYMOUS: outside, TENANT: outside, **dict.fromkeys(STAFF, answer)},
    )


def _clerk_view(name: str, title: str, needs: str, may: frozenset[str]) -> View:
    answers = {ANONYMOUS: LOGIN, TENANT: LOGIN, SUPERUSER: MAY}
    answers.update({role: MAY if role in may else FORBIDDEN for role in CLERKS})
    return View(name, title, needs, answers)


VIEWS: tuple[View, ...] = (
    _staff_view("index", "Admin start page"),
    View(
        "login",
        "Admin login (allauth in front)",
        "–",
        {ANONYMOUS: LOGIN, TENANT: FORBIDDEN, **dict.fromkeys(STAFF, REDIRECT)},
    ),
    # Django only logs out on POST; a GET from outside is sent to the start page.
    _staff_view("logout", "Log out", POST_ONLY, outside=REDIRECT),
    _staff_view("password_change", "Change own password"),
    _staff_view("password_change_done", "Password changed"),
    _staff_view("jsi18n", "Admin JavaScript translations"),
    # The answer is about the query: here a Kontakt request's "responsible clerk".
    _staff_view("autocomplete", "Autocomplete (users, for reassigning)"),
    # No model has a public page, so "view on site" finds nothing.
    _staff_view("view_on_site", "View on site", NOT_FOUND),
    _staff_view("catch_all", "Any other address under admin/", NOT_FOUND),
    # app_list (one page per app) is answered by app_index_answer() from MODELS.
    _clerk_view("auth_user_password_change", "Set a user's password", "tenants.change_user", NONE),
    _clerk_view(
        "tenants_job_download",
        "Jobs: download the result (a job the role may see)",
        "tenants.view_job",
        _roles(KS, MB),
    ),
    _clerk_view(
        "documents_document_upload",
        "Documents: “Upload documents”",
        "documents.add_document",
        _roles(KS, MB),
    ),
    _clerk_view(
        "documents_document_file",
        "Documents: open the PDF",
        "documents.view_document",
        _roles(KS, MB),
    ),
    _clerk_view(
        "documents_receipt_file",
        "Receipts: open a receipt (original or redacted)",
        "documents.view_receiptset",
        _roles(KS, MB),
    ),
    _clerk_view(
        "requests_attachment_download",
        "Kontakt: open an attachment",
        "requests.view_contactrequest",
        _roles(KS, MB, TE),
    ),
    _clerk_view(
        "requests_attachment_thumbnail",
        "Kontakt: attachment preview",
        "requests.view_contactrequest",
        _roles(KS, MB, TE),
    ),
    _clerk_view(
        "registration_activation",
        "Registration: activation overview per property",
        "registration.view_registrationcode",
        _roles(KS),
    ),
    # Importing base data from the ERP is the superuser's, like editing base data.
    _clerk_view(
        "tenants_job_erp_import",
        "Jobs: start an ERP master data import",
        "tenants.add_property",
        NONE,
    ),
    # The change feed holds full IBANs: exporting it is operations' (the superuser's).
    _clerk_view(
        "tenants_job_export_changes",
        "Jobs: start the export of changes to the ERP",
        "tenants.add_changeexport",
        NONE,
    ),
    # Starts a job, so only on POST; a GET changes nothing (405 for those who may).
    View(
        "registration_activation_letters",
        "Registration: a property's letters, opened with GET",
        "registration.issue_letters",
        {
            ANONYMOUS: LOGIN,
            TENANT: LOGIN,
            KS: POST_ONLY,
            MB: FORBIDDEN,
            TE: FORBIDDEN,
            SUPERUSER: POST_ONLY,
        },
    ),
)

BUTTONS: tuple[Button, ...] = (
    Button(
        "contracts.approve",
        "contracts.bankchangerequest",
        "button",
        "_approve",
        "Bank change: Approve",
        "contracts.change_bankchangerequest",
        _roles(MB),
    ),
    Button(
        "contracts.reject",
        "contracts.bankchangerequest",
        "button",
        "_reject",
        "Bank change: Reject",
        "contracts.change_bankchangerequest",
        _roles(MB),
    ),
    Button(
        "contracts.take_over",
        "contracts.bankchangerequest",
        "button",
        "_take_over",
        "Bank change: Take over",
        "contracts.change_bankchangerequest",
        _roles(MB),
    ),
    Button(
        "contracts.take_over_action",
        "contracts.bankchangerequest",
        "action",
        "take_over",
        "Bank changes: action “Take over”",
        "contracts.change_bankchangerequest",
        _roles(MB),
    ),
    Button(
        "requests.reply",
        "requests.contactrequest",
        "button",
        "_reply",
        "Kontakt: Answer / internal note",
        "requests.change_contactrequest",
        _roles(KS, MB, TE),
    ),
    Button(
        "requests.take_over",
        "requests.contactrequest",
        "button",
        "_take_over",
        "Kontakt: Take over",
        "requests.change_contactrequest",
        _roles(KS, MB, TE),
    ),
    Button(
        "requests.take_over_action",
        "requests.contactrequest",
        "action",
        "take_over",
        "Kontakt: action “Take over”",
        "requests.change_contactrequest",
        _roles(KS, MB, TE),
    ),
    Button(
        "requests.apply_address",
        "requests.contactrequest",
        "button",
        "_apply_address",
        "Kontakt: Apply the new address",
        "requests.change_contactrequest + tenants.change_tenant",
        _roles(KS),
    ),
    Button(
        "requests.send_document",
        "requests.contactrequest",
        "button",
        "_send_document",
        "Kontakt: Answer with a document",
        "requests.change_contactrequest + documents.add_document",
        _roles(KS, MB),
    ),
    Button(
        "documents.upload",
        "documents.document",
        "form",
        "documents_document_upload",
        "Documents: publish an upload (one tenant: at once; by contract number: starts a job)",
        "documents.add_document",
        _roles(KS, MB),
    ),
    Button(
        "documents.export_paper_list",
        "documents.delivery",
        "action",
        "export_paper_list",
        "Deliveries: action “Export paper list (CSV)”",
        "documents.view_delivery",
        _roles(KS, MB),
    ),
    Button(
        "documents.mark_paper_sent",
        "documents.delivery",
        "action",
        "mark_paper_sent",
        "Deliveries: action “Mark as sent on paper”",
        "documents.change_delivery",
        _roles(KS, MB),
    ),
    Button(
        "registration.issue_letters",
        "tenants.tenant",
        "action",
        "issue_registration_letters",
        "Tenants: action “Generate new registration code”",
        "registration.issue_letters",
        _roles(KS),
    ),
    Button(
        "account.make_verified",
        "account.emailaddress",
        "action",
        "make_verified",
        "E-mail addresses: action “Mark as verified” (allauth)",
        "account.view_emailaddress",
        NONE,
    ),
    Button(
        "tenants.requeue",
        "tenants.outboundemail",
        "action",
        "requeue",
        "Outbox: action “Send again”",
        "tenants.view_outboundemail",
        _roles(KS, MB),
    ),
    Button(
        "registration.activation_letters",
        "registration.registrationcode",
        "form",
        "registration_activation_letters",
        "Activation overview: “Letters to all unregistered tenants” of a property (starts a job)",
        "registration.issue_letters",
        _roles(KS),
    ),
)

SIGHTS: tuple[Sight, ...] = (
    Sight(
        "contracts.full_iban",
        "contracts.bankchangerequest",
        "Bank changes and mandates: full IBAN (others: last four)",
        "contracts.view_full_iban",
        _roles(MB),
    ),
    Sight(
        "requests.conversation",
        "requests.contactrequest",
        "Kontakt request: conversation and attachments",
        "requests.view_contactrequest",
        _roles(KS, MB, TE),
    ),
    # Mein Arbeitsplatz (the admin start page): the panels each role finds there.
    Sight(
        "workplace.requests",
        "requests.contactrequest",
        "Mein Arbeitsplatz: Kontakt (my open, overdue, nobody responsible in my teams)",
        "requests.view_contactrequest",
        _roles(KS, MB, TE),
    ),
    Sight(
        "workplace.bank_changes",
        "contracts.bankchangerequest",
        "Mein Arbeitsplatz: bank details waiting for approval",
        "contracts.change_bankchangerequest",
        _roles(MB),
    ),
    Sight(
        "workplace.activation",
        "registration.registrationcode",
        "Mein Arbeitsplatz: activation (link to the overview, codes still out)",
        "registration.view_registrationcode",
        _roles(KS),
    ),
    Sight(
        "workplace.jobs",
        "tenants.job",
        "Mein Arbeitsplatz: running and recent jobs (those the role may see)",
        "tenants.view_job",
        _roles(KS, MB),
    ),
)

_MODELS = {model.label: model for model in MODELS}
_VIEWS = {view.name: view for view in VIEWS}


def model_get(label: str) -> Model:
    try:
        return _MODELS[label]
    except KeyError:
        raise KeyError(
            f"The admin of {label} is not in the permission matrix: add it to "
            "tenants/permissions.py (MODELS)."
        ) from None


def view_get(name: str) -> View:
    try:
        return _VIEWS[name]
    except KeyError:
        raise KeyError(
            f"The admin URL {name!r} is not in the permission matrix: add it to "
            "tenants/permissions.py (VIEWS)."
        ) from None


def model_page_answer(label: str, page: str, role: str) -> str:
    """The answer of one of a model's standard admin pages (MODEL_PAGES or OBJECT_REDIRECT)."""
    operations = model_get(label).operations(role)
    if role in (ANONYMOUS, TENANT):
        return LOGIN
    if page == OBJECT_REDIRECT:
        return REDIRECT  # to the change page, which decides
    needed = {"add": {ADD}, "delete": {DELETE}}.get(page, {VIEW, CHANGE})
    return MAY if operations & needed else FORBIDDEN


def app_index_answer(app_label: str, role: str) -> str:
    """An app's admin page lists the models the role may see; with none it does not exist."""
    if role in (ANONYMOUS, TENANT):
        return LOGIN
    visible = any(
        model.operations(role) for model in MODELS if model.label.split(".")[0] == app_label
    )
    return MAY if visible else NOT_FOUND


def actions_offered(label: str, role: str) -> set[str]:
    """The admin actions a role finds on a model's change list."""
    offered = {
        button.name
        for button in BUTTONS
        if button.kind == "action" and button.model == label and button.answer(role) == MAY
    }
    if DELETE in model_get(label).operations(role):
        offered.add("delete_selected")
    return offered


# Rendering (docs/permissions.md and the closing note of a change).

_MARK = {
    MAY: "✓",
    FORBIDDEN: "–",
    LOGIN: "login",
    NOT_FOUND: "404",
    REDIRECT: "→",
    POST_ONLY: "405",
}


def _needs(needs: str) -> str:
    return " + ".join(f"`{perm}`" for perm in needs.split(" + "))


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _header(*first: str) -> list[str]:
    columns = [*first, *ROLES]
    return [_row(columns), _row(["---"] * len(columns))]


def markdown() -> str:
    """The whole matrix as Markdown: the content of docs/permissions.md."""
    lines = [
        "# Who may do what in the clerks' workplace",
        "",
        "Generated from `tenants/permissions.py` with "
        "`python -m tenants.permissions > docs/permissions.md`; do not edit by hand.",
        "`tests/test_permission_matrix.py` asserts every answer for every admin URL (walked from",
        "the URL resolver) and every button, and fails when this file is out of date.",
        "",
        "Roles: the clerk groups (`manage.py sync_clerk_groups`), the superuser, a tenant (a",
        "portal login without staff status) and an anonymous visitor. Anonymous visitors and",
        "tenants are sent to the login page (`login`) by every admin page.",
        "",
        "## Admin pages per model",
        "",
        "What each role may do on a model's pages: `view` opens the list, the record and its",
        "history; `add`, `change` and `delete` open those pages (else 403). The superuser gets",
        "what the admin offers at all, so a read-only record stays read-only for everyone. An",
        "app's page (`/admin/<app>/`) answers 404 to a role that may see none of its models.",
        "",
        *_header("model"),
    ]
    for model in MODELS:
        cells = [f"{model.title} (`{model.label}`)"]
        for role in ROLES:
            if role in (ANONYMOUS, TENANT):
                cells.append("login")
                continue
            operations = model.operations(role)
            cells.append(", ".join(op for op in OPERATIONS if op in operations) or "–")
        lines.append(_row(cells))
    lines += [
        "",
        "## Buttons, actions and custom views",
        "",
        "✓ may, – refused (403, or the action is not offered) and nothing changes. Buttons sit",
        "on a record's change page; actions on the change list.",
        "",
        *_header("button / view", "needs"),
    ]
    for button in BUTTONS:
        cells = [f"{button.title} (`{button.name}`)", _needs(button.needs)]
        lines.append(_row(cells + [_MARK[button.answer(role)] for role in ROLES]))
    for view in VIEWS:
        if view.needs in ("staff", "–"):
            continue
        cells = [f"{view.title} (`{view.name}`)", _needs(view.needs)]
        lines.append(_row(cells + [_MARK[view.answer(role)] for role in ROLES]))
    for sight in SIGHTS:
        cells = [sight.title, _needs(sight.needs)]
        lines.append(_row(cells + ["✓" if sight.shown_to(role) else "–" for role in ROLES]))
    lines += [
        "",
        "## Django's own admin addresses",
        "",
        "✓ 200, – 403, → redirect (the login page sends staff to the start page), 405 only",
        "POST, 404 not found.",
        "",
        *_header("address"),
    ]
    for view in VIEWS:
        if view.needs not in ("staff", "–"):
            continue
        lines.append(
            _row([f"{view.title} (`{view.name}`)"] + [_MARK[view.answer(r)] for r in ROLES])
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
