"""Every page a tenant can open, on a phone (390 × 844) and on a desktop (1280 × 900).

Each page must pass axe-core (the npm package, injected from node_modules) without a single
violation and log nothing to the console (CSP violations land there). On the phone its header
takes at most a fifth of the screen, it scrolls only vertically, the header and the bottom
navigation offer tap targets of at least 44 px whose labels fit, phone numbers stay on one line
and the page's end scrolls clear of the bottom navigation. Forms are also checked with their
error messages (the focus must leave <body>), a few pages with the Tab key (no focus hidden
behind the bottom navigation), and the sign-up with a letter code step by step.
`test_every_page_url_is_covered` fails when a URL pattern appears that this file does not know.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts.models import BankChangeRequest
from documents.models import Document
from notices.models import Notice
from registration import codes
from requests.models import Category, ContactRequest
from tenants.models import Contract
from tests.registration.factories import tenant_with_code

PASSWORD = "Demo-Passwort-2026!"
VIEWPORTS = {
    "390x844": {"width": 390, "height": 844},
    "1280x900": {"width": 1280, "height": 900},
}
PHONE = "390x844"
# PORTAL_SCREENSHOTS=<folder> saves a full-page screenshot of every page checked.
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS")
MAX_HEADER_SHARE = 0.20
MIN_TAP_TARGET = 44

# Pages anyone may open signed out: (URL name, args).
SIGNED_OUT_PAGES = [
    ("account_login", ()),
    ("account_reset_password", ()),
    ("account_reset_password_done", ()),
    ("account_reset_password_from_key", ("0", "expired-key")),
    ("account_reset_password_from_key_done", ()),
    ("account_signup", ()),
    ("account_inactive", ()),
    ("account_email_verification_sent", ()),
    ("account_confirm_email", ("expired-key",)),
    ("registration:start", ()),
    ("registration:confirm_link", ("expired-key",)),
    ("tenants:offline", ()),  # what the service worker shows without a network
    ("tenants:account_closed", ()),  # after closing the portal access
]

# Patterns that are no page of their own: files, POST-only actions, redirects, steps that need
# the previous step (test_registration_journey.py walks them), and the clerks' admin.
NOT_PAGES = {
    "healthz": "health check (JSON)",
    "set_language": "POST only",
    "tenants:web_manifest": "web app manifest (JSON)",
    "tenants:service_worker": "service worker script",
    "account_set_password": "redirects to the password change (demo users have one)",
    "account_confirm_login_code": "login by code is switched off",
    "contracts:rent_account_csv": "CSV file",
    "contracts:bank_change_withdraw": "POST only",
    "contracts:bank_change_pdf": "PDF file",
    "documents:open": "the document's file",
    "documents:download": "the document's file",
    "documents:receipt_open": "the receipt's file",
    "documents:receipt_download": "the receipt's file",
    "forms:static": "PDF file",
    "forms:personal": "PDF file or a redirect to a Kontakt form",
    "consumption:chart": "SVG image",
    "consumption:export": "CSV file",
    "requests:attachment": "the attachment's file",
    "requests:thumbnail": "image",
    "tenants:new_device_notice": "POST only (the switch on the profile)",
    "notices:preference": "POST only (the choice on the profile)",
    "tenants:privacy_export_request": "POST only",
    "tenants:privacy_export_download": "the export's ZIP file",
    # Two-factor pages ask for the password again first, or need a code or an authenticator:
    # tests/browser/test_mfa_journeys.py walks them with axe-core.
    **{
        name: "two-factor step (test_mfa_journeys.py)"
        for name in (
            "mfa_activate_totp",
            "mfa_add_webauthn",
            "mfa_authenticate",
            "mfa_deactivate_totp",
            "mfa_download_recovery_codes",
            "mfa_edit_webauthn",
            "mfa_generate_recovery_codes",
            "mfa_list_webauthn",
            "mfa_login_webauthn",
            "mfa_reauthenticate",
            "mfa_reauthenticate_webauthn",
            "mfa_remove_webauthn",
            "mfa_view_recovery_codes",
        )
    },
}


# Forms also checked with their error messages: sent empty, the page must still pass.
ERROR_STATES = {
    "account_login",
    "account_reset_password",
    "registration:start",
    "registration:account",
    "contracts:bank_change",
    "requests:create (Wasser/Sanitär)",
    "requests:create (Änderung der Postanschrift)",
    "account_change_password",
}


# Pages also walked with the Tab key on the phone.
KEYBOARD_PAGES = {"tenants:home", "contracts:detail", "requests:create (Wasser/Sanitär)"}


def _url_names(resolver=None, namespace=None):
    """(name, route) of every URL pattern outside the admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # The admin has its own matrix; the app's JSON API (/api/v1/, /_allauth/) its own
            # access table (tests/api/test_access.py).
            if pattern.namespace in ("admin", "api-v1", "headless"):
                continue
            inner = pattern.namespace or None
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _url_names(pattern, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, str(pattern.pattern)


def _tenant_pages(flat, parking):
    """(label, URL) of every page the demo tenant Maria can open."""
    category = {c.name: c.pk for c in Category.objects.all()}
    damage = ContactRequest.objects.get(
        tenant__user__email="mieterin@example.com", subject="Wasserfleck unter der Spüle"
    )
    return [
        ("tenants:home", reverse("tenants:home")),
        ("contracts:index", reverse("contracts:index")),
        ("contracts:detail", reverse("contracts:detail", args=[flat])),
        ("contracts:detail (parking)", reverse("contracts:detail", args=[parking])),
        ("contracts:bank_change", reverse("contracts:bank_change", args=[flat])),
        ("contracts:rent_account", reverse("contracts:rent_account", args=[flat])),
        ("requests:index", reverse("requests:index")),
        ("requests:choose", reverse("requests:choose")),
        *(
            (f"requests:create ({name})", reverse("requests:create", args=[category[name]]))
            for name in (
                "Wasser/Sanitär",
                "Dokument anfordern",
                "Änderung der Postanschrift",
                "Allgemeine Anfrage",
            )
        ),
        ("requests:detail", reverse("requests:detail", args=[damage.reference])),
        ("documents:index", reverse("documents:index")),
        ("documents:receipts", reverse("documents:receipts", args=[_statement_with_receipts()])),
        ("forms:index", reverse("forms:index")),
        ("consumption:index", reverse("consumption:index")),
        ("notices:index", reverse("notices:index")),
        (
            "notices:detail",
            reverse("notices:detail", args=[Notice.objects.get(title_en="Lift out of service").pk]),
        ),
        ("tenants:profile", reverse("tenants:profile")),
        ("mfa_index", reverse("mfa_index")),
        ("usersessions_list", reverse("usersessions_list")),
        ("tenants:privacy_data", reverse("tenants:privacy_data")),
        ("tenants:account_close", reverse("tenants:account_close")),
        ("account_email", reverse("account_email")),
        ("account_change_password", reverse("account_change_password")),
        ("account_reauthenticate", reverse("account_reauthenticate")),
        ("tenants:help", reverse("tenants:help")),
        ("tenants:privacy", reverse("tenants:privacy")),
        ("tenants:terms", reverse("tenants:terms")),
        ("account_logout", reverse("account_logout")),  # GET asks before signing out
    ]


def _statement_with_receipts():
    """The demo's 2025 operating cost statement Maria got, with the receipts behind it."""
    return Document.objects.get(
        contract_number="1001-W01-01", kind="betriebskostenabrechnung", period="2025"
    ).pk


def _open_bank_change_pages():
    """The seeded open bank change belongs to Jürgen: its page and his contract with the notice."""
    change = BankChangeRequest.objects.select_related("contract").get(status="open")
    number = change.contract.contract_number
    return [
        ("contracts:detail (open bank change)", reverse("contracts:detail", args=[number])),
        (
            "contracts:bank_change_detail",
            reverse("contracts:bank_change_detail", args=[number, change.pk]),
        ),
    ]


COVERED = {name for name, _ in SIGNED_OUT_PAGES} | {
    "tenants:home",
    "tenants:help",
    "tenants:profile",
    "tenants:privacy",
    "tenants:terms",
    "contracts:index",
    "contracts:detail",
    "contracts:bank_change",
    "contracts:bank_change_detail",
    "contracts:rent_account",
    "requests:index",
    "requests:choose",
    "requests:create",
    "requests:detail",
    "documents:index",
    "documents:receipts",
    "forms:index",
    "consumption:index",
    "notices:index",
    "notices:detail",
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_logout",
    "mfa_index",
    "usersessions_list",
    "tenants:privacy_data",
    "tenants:account_close",
    "registration:account",
    "registration:confirm",
}

MEASURE = """(minTap) => {
  const header = document.querySelector('header.site-header')
    || document.querySelector('body > header') || document.querySelector('header');
  const box = header ? header.getBoundingClientRect() : null;
  const fixedNavs = [...document.querySelectorAll('nav')].filter((nav) => {
    for (let el = nav; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).position === 'fixed') return true;
    }
    return false;
  });
  const describe = (el) => {
    const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
    return el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : '')
      + (text ? ' "' + text.slice(0, 30) + '"' : '');
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && style.visibility !== 'hidden';
  };
  const targets = [header, ...fixedNavs].filter(Boolean).flatMap(
    (root) => [...root.querySelectorAll('a[href], button, summary, input:not([type=hidden])')]
  );
  const small = [...new Set(targets)].filter(visible)
    .map((el) => [describe(el), el.getBoundingClientRect().height])
    .filter(([, height]) => height < minTap - 0.01)
    .map(([label, height]) => label + ' ' + height.toFixed(1) + ' px');
  // A label wider than its link runs into the neighbouring tab.
  const crammed = [...new Set(targets)].filter(visible)
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${describe(el)} needs ${el.scrollWidth} px, has ${el.clientWidth}`);
  const width = document.documentElement.clientWidth;
  // The outermost elements that stick out on the right: where a sideways scroll comes from.
  const sticksOut = (el) => el && el.getBoundingClientRect().right > width + 1;
  const wide = document.documentElement.scrollWidth > window.innerWidth
    ? [...document.querySelectorAll('body *')]
        .filter((el) => sticksOut(el) && visible(el) && !sticksOut(el.parentElement))
        .slice(0, 5)
        .map((el) => describe(el) + ' right=' + el.getBoundingClientRect().right.toFixed(0))
    : [];
  return {
    header: box ? box.height : null,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: wide,
    smallTargets: small,
    crammed: crammed,
    brokenPhones: [...document.querySelectorAll('a[href^="tel:"]')].filter(visible).filter((a) => {
      const range = document.createRange();
      range.selectNodeContents(a);
      const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      return lines.length > 1 && Math.max(...lines.map((r) => r.top))
        >= Math.min(...lines.map((r) => r.bottom)) - 1;
    }).map((a) => a.innerText.replace(/\\s+/g, ' ')),
  };
}"""

# With a navigation bar fixed at the bottom, the end of the page must still scroll clear of it.
HIDDEN_BEHIND_BAR = """() => {
  const fixed = (el) => {
    for (; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).position === 'fixed') return el;
    }
    return null;
  };
  const bars = [...document.querySelectorAll('nav')].map(fixed).filter((bar) => {
    const r = bar && bar.getBoundingClientRect();
    return r && r.height > 0 && r.top > window.innerHeight / 2;
  });
  if (!bars.length) return null;
  window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'});
  const top = Math.min(...bars.map((bar) => bar.getBoundingClientRect().top));
  // The last block in the flow (usually the footer), measured by its text, not its padding.
  const blocks = [...document.body.children].filter(
    (el) => !fixed(el) && el.getBoundingClientRect().height > 0);
  const last = blocks[blocks.length - 1];
  const range = document.createRange();
  range.selectNodeContents(last);
  const bottom = range.getBoundingClientRect().bottom;
  window.scrollTo({top: 0, behavior: 'instant'});
  return bottom > top + 1
    ? `${last.tagName.toLowerCase()} "${(last.innerText || '').trim().slice(-30)}"`
      + ` ends at ${bottom.toFixed(0)} px, the bar starts at ${top.toFixed(0)} px`
    : null;
}"""

# After one Tab: is the focused element hidden behind a bar fixed at the bottom?
FOCUS_HIDDEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.dataset.tabSeen) return {done: true};
  el.dataset.tabSeen = '1';
  const fixed = (node) => {
    for (; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).position === 'fixed') return node;
    }
    return null;
  };
  if (fixed(el)) return {done: false, hidden: null};
  const tops = [...document.querySelectorAll('nav')].map(fixed).filter(Boolean)
    .map((bar) => bar.getBoundingClientRect().top).filter((top) => top > window.innerHeight / 2);
  const r = el.getBoundingClientRect();
  const top = Math.min(...tops);
  const text = (el.innerText || el.getAttribute('aria-label') || el.name || '').trim();
  return {
    done: false,
    // More than a quarter hidden: the focus ring and the text are hard to see.
    hidden: tops.length && r.bottom - top > r.height / 4
      ? `${el.tagName.toLowerCase()} "${text.slice(0, 30)}" at ${r.top.toFixed(0)}–`
        + `${r.bottom.toFixed(0)} px, the bar starts at ${top.toFixed(0)} px`
      : null,
  };
}"""

SUBMIT_EMPTY = """() => {
  const form = [...document.querySelectorAll('main form')].find(
    (f) => f.method === 'post' && f.querySelector('[type=submit], button:not([type])'));
  form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea')
    .forEach((field) => { field.value = ''; });
  form.noValidate = true;
  form.requestSubmit();
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}"""


class Checker:
    """Checks pages in one browser context and collects what fails, page by page."""

    def __init__(self, page, live_server, viewport):
        self.page, self.base, self.viewport = page, live_server.url, viewport
        self.failures, self.report, self.names = {}, [], set()

    def visit(self, label, path):
        """Open a page and check it; a form in ERROR_STATES also with its error messages."""
        self.page.console_errors.clear()
        self.check(label, self.page.goto(f"{self.base}{path}"))
        if label in KEYBOARD_PAGES and self.viewport == PHONE:
            self.tab_through(label)
        if label in ERROR_STATES:
            self.submit_empty(label)

    def tab_through(self, label):
        """Tab through the page: no focused element may hide behind the bottom navigation."""
        hidden = []
        for _ in range(200):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS_HIDDEN)
            if focus["done"]:
                break
            if focus["hidden"]:
                hidden.append(focus["hidden"])
        if hidden:
            self.failures[f"{label} (keyboard)"] = [
                f"focus hidden behind the bottom navigation: {where}" for where in hidden
            ]
        self.report.append(
            f"{self.viewport:>8} {label + ' (keyboard)':<52} "
            + (f"{len(hidden)} problem(s)" if hidden else "ok")
        )

    def submit_empty(self, label):
        """Send the page's form empty (past the browser's own checks) and check the result."""
        self.page.console_errors.clear()
        with self.page.expect_navigation() as navigation:
            self.page.evaluate(SUBMIT_EMPTY)
        focus_lost = self.page.evaluate("() => document.activeElement === document.body")
        self.check(
            f"{label} (errors)",
            navigation.value,
            ["after the failed submit the focus is on <body>, not on the errors"]
            if focus_lost
            else [],
        )

    def check(self, label, response, problems=None):
        """Check the page as it is now (response: the one that loaded it)."""
        page, problems = self.page, list(problems or [])
        self.names.add(label.split(" (")[0])
        if response is None or response.status != 200:
            problems.append(f"HTTP {response.status if response else 'no response'}")
        for violation in page.evaluate(AXE_RUN):
            targets = violation["targets"]
            problems.append(
                f"axe {violation['id']} ({violation['impact']}): {', '.join(targets[:5])}"
                + (f" (+{len(targets) - 5} more)" if len(targets) > 5 else "")
            )
        measured = page.evaluate(MEASURE, MIN_TAP_TARGET)
        header = measured["header"]
        if self.viewport == PHONE:
            limit = VIEWPORTS[PHONE]["height"] * MAX_HEADER_SHARE
            if header is None:
                problems.append("no <header>")
            elif header > limit:
                problems.append(f"header {header:.0f} px high (at most {limit:.1f})")
            if measured["scrollWidth"] > measured["innerWidth"]:
                problems.append(
                    f"scrolls sideways: {measured['scrollWidth']} px wide; "
                    + "; ".join(measured["wide"])
                )
            for target in measured["smallTargets"]:
                problems.append(f"tap target under {MIN_TAP_TARGET} px: {target}")
            for target in measured["crammed"]:
                problems.append(f"label overflows its tap target: {target}")
            hidden = page.evaluate(HIDDEN_BEHIND_BAR)
            if hidden:
                problems.append(f"the page's end stays behind the bottom navigation: {hidden}")
        for number in measured["brokenPhones"]:
            problems.append(f"phone number breaks over two lines: {number}")
        problems.extend(f"console: {text}" for text in page.console_errors)
        if SCREENSHOTS:
            name = re.sub(r"[^a-z0-9]+", "-", f"{self.viewport} {label}".lower()).strip("-")
            page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)
        self.report.append(
            f"{self.viewport:>8} {label:<52} header {header or 0:4.0f} px "
            + (f"{len(problems)} problem(s)" if problems else "ok")
        )
        if problems:
            self.failures[f"{label} {page.url.removeprefix(self.base)}"] = problems

    def login(self, email):
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}{reverse('account_login')}")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.wait_for_url(f"{self.base}/")

    def register(self):
        """Walk the sign-up with a letter code: its account and confirmation pages."""
        page = self.page
        _, _, plain = tenant_with_code(first_name="Zoë", last_name="Núñez-Straßburger")
        page.goto(f"{self.base}{reverse('registration:start')}?code={codes.display(plain)}")
        page.get_by_label("Nachname").fill("Núñez-Straßburger")
        self.page.console_errors.clear()
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Weiter").click()
        self.check("registration:account", navigation.value)
        self.submit_empty("registration:account")
        page.get_by_label("E-Mail-Adresse").fill("zoe@example.org")
        page.get_by_label("Passwort", exact=True).fill("Elbe-Hafen-2026!")
        page.get_by_label("Passwort wiederholen").fill("Elbe-Hafen-2026!")
        page.get_by_label("Ich akzeptiere").check()
        self.page.console_errors.clear()
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Zugang anlegen").click()
        self.check("registration:confirm", navigation.value)
        link = re.search(r"https?://\S+(/registrieren/bestaetigen/\S+/)", mail.outbox[-1].body)
        self.visit("registration:confirm_link (valid link)", link.group(1))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_tenant_page_is_accessible_and_fits(browser, live_server, axe_path, viewport):
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    numbers = dict(
        Contract.objects.filter(partners__user__email="mieterin@example.com").values_list(
            "unit__kind", "contract_number"
        )
    )
    context = browser.new_context(locale="de-DE", viewport=VIEWPORTS[viewport])
    # An init script runs outside the page's CSP, so axe needs no inline <script>.
    context.add_init_script(path=str(axe_path))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught {error}"))
    # The console names no address for a failed load; the response does.
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.console_errors.append(f"HTTP {response.status} {response.url}")
        ),
    )
    checker = Checker(page, live_server, viewport)
    try:
        for name, args in SIGNED_OUT_PAGES:
            checker.visit(name, reverse(name, args=args))
        checker.register()
        checker.login("mieterin@example.com")
        for label, path in _tenant_pages(numbers["flat"], numbers["parking"]):
            checker.visit(label, path)
        checker.login("mieter@example.com")
        for label, path in _open_bank_change_pages():
            checker.visit(label, path)
    finally:
        context.close()
    print("\n".join(checker.report))
    assert checker.names == COVERED, "COVERED must name exactly the pages this test opens"
    failures = checker.failures
    assert not failures, f"{len(failures)} page(s) at {viewport} fail:\n" + "\n".join(
        f"- {page_}:\n    " + "\n    ".join(problems) for page_, problems in failures.items()
    )


def test_every_page_url_is_covered():
    """A new URL pattern must be added to the pages above (or to NOT_PAGES with a reason)."""
    unknown = sorted(
        f"{name or '(unnamed)'} {route}"
        for name, route in _url_names()
        if name not in COVERED and name not in NOT_PAGES
    )
    assert not unknown, "URL patterns not checked by test_tenant_pages.py: " + ", ".join(unknown)
    stale = sorted((COVERED | set(NOT_PAGES)) - {name for name, _ in _url_names()})
    assert not stale, f"listed here but no longer URL patterns: {stale}"
