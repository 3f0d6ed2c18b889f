"""Technik posts an urgent notice in the admin; the tenant gets the mail, sees it and reads it.

The demo data (`seed_demo`) has the clerk and Maria (property 1001); the notice reaches Maria by
e-mail at once because it is urgent, and the clerk's list counts her reading it.
"""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from notices.models import Notice, NoticeRead
from tenants.models import OutboundEmail, Property
from tests.browser.test_clerk_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Until config/urls.py routes /neuigkeiten/ (the same URLs once it does).
]

SHOTS = "/work/shots/M"


def shot(page, name):
    import os

    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_technik_publishes_an_urgent_notice_and_the_tenant_reads_it(browser, page, live_server):
    call_command("seed_demo", verbosity=0)
    home = Property.objects.get(number="1001")
    today = timezone.localdate()
    page.set_viewport_size({"width": 1280, "height": 900})
    mail.outbox.clear()

    log_in(page, live_server, "technik@example.com")
    page.goto(f"{live_server.url}{reverse('admin:notices_notice_add')}")
    page.locator("select[name=kind]").select_option("outage")
    page.locator("input[name=urgent]").check()
    page.locator("select[name=property]").select_option(str(home.pk))
    page.locator("input[name=valid_from]").fill(today.strftime("%d.%m.%Y"))
    page.locator("input[name=valid_until]").fill(today.strftime("%d.%m.%Y"))
    page.locator("input[name=title]").fill("Wasser abgestellt")
    page.locator("input[name=title_en]").fill("Water turned off")
    page.locator("textarea[name=text]").fill("Heute von 8 bis 12 Uhr ist das Wasser abgestellt.")
    page.locator("textarea[name=text_en]").fill("Today the water is off from 8 to 12.")
    shot(page, "admin-add-1280")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    notice = Notice.objects.get(title="Wasser abgestellt")
    assert notice.urgent and notice.created_by.email == "technik@example.com"

    # The mail went through the outbox at once (urgent), to Maria, in German.
    row = OutboundEmail.objects.get(
        to="mieterin@example.com", subject__contains="Wasser abgestellt"
    )
    assert row.subject == "Dringender Aushang: Wasser abgestellt"
    assert any(m.subject == row.subject and m.to == ["mieterin@example.com"] for m in mail.outbox)

    # The tenant on her phone, in a browser of her own; the clerk stays signed in (an
    # authenticator code is accepted once, so signing in again within 30 s would fail).
    phone = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    tenant_page = phone.new_page()
    tenant_page.console_errors = []
    tenant_page.on(
        "console", lambda m: m.type == "error" and tenant_page.console_errors.append(m.text)
    )
    log_in(tenant_page, live_server, "mieterin@example.com")
    card = tenant_page.locator("section.notices-card")
    expect(card.get_by_role("link", name="Wasser abgestellt")).to_be_visible()
    expect(card.get_by_text("Eilt").first).to_be_visible()
    shot(tenant_page, "home-390")
    card.get_by_role("link", name="Wasser abgestellt").click()
    expect(tenant_page.get_by_role("heading", name="Wasser abgestellt")).to_be_visible()
    expect(tenant_page.get_by_text("Heute von 8 bis 12 Uhr")).to_be_visible()
    shot(tenant_page, "detail-390")
    assert NoticeRead.objects.filter(notice=notice, user__email="mieterin@example.com").exists()
    assert tenant_page.console_errors == []
    phone.close()

    page.goto(f"{live_server.url}{reverse('admin:notices_notice_changelist')}")
    row_ = page.locator("tr", has=page.get_by_role("link", name="Wasser abgestellt"))
    expect(row_).to_contain_text("gelesen: 1 von")
    shot(page, "admin-list-1280")
    assert page.console_errors == []
