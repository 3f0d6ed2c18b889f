from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice, NoticeMail, NoticeRead
from notices.selectors import notice_admin_queryset, notice_audience
from notices.services import notice_mail_send, notice_save
from tenants.models import AuditEntry, OutboundEmail
from tests.tenants.factories import (
    ContractFactory,
    PropertyFactory,
    StaffFactory,
    TenantFactory,
    UnitFactory,
)

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def home():
    return PropertyFactory(number="1001", street="Lindenallee 3")


def tenant_in(property_, *, street="", start=None, end=None, language="de", **kwargs):
    tenant = TenantFactory(**kwargs)
    if language != "de":
        tenant.user.language = language
        tenant.user.save(update_fields=["language"])
    unit = UnitFactory(property=property_, street=street)
    ContractFactory(
        partners=[tenant],
        unit=unit,
        start_date=start or TODAY - timedelta(days=400),
        end_date=end,
    )
    return tenant


def detail_url(notice):
    return reverse("notices:detail", args=[notice.pk])


@pytest.fixture
def clerk_of(client):
    call_command("sync_clerk_groups", verbosity=0)

    def login(group: str):
        user = StaffFactory()
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return user

    return login


# -- who sees what ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, home):
    notice = NoticeFactory(property=home)
    for url in (reverse("notices:index"), detail_url(notice)):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_tenant_of_another_property_sees_neither_list_nor_detail(client, home):
    mine = tenant_in(home)
    neighbour = tenant_in(PropertyFactory())
    lift = NoticeFactory(property=home, title="Aufzug außer Betrieb", urgent=True)

    client.force_login(mine.user)
    assert "Aufzug außer Betrieb" in client.get(reverse("notices:index")).content.decode()
    assert client.get(detail_url(lift)).status_code == 200

    client.force_login(neighbour.user)
    assert "Aufzug außer Betrieb" not in client.get(reverse("notices:index")).content.decode()
    assert client.get(detail_url(lift)).status_code == 404
    assert "Aufzug außer Betrieb" not in client.get(reverse("tenants:home")).content.decode()


def test_a_notice_for_one_building_reaches_only_that_building(client, home):
    front = tenant_in(home, street="Lindenallee 3")
    back = tenant_in(home, street="Lindenallee 3a")
    courtyard = NoticeFactory(property=home, street="Lindenallee 3a", title="Hof gesperrt")

    client.force_login(back.user)
    assert client.get(detail_url(courtyard)).status_code == 200
    client.force_login(front.user)
    assert client.get(detail_url(courtyard)).status_code == 404


def test_a_unit_without_its_own_street_belongs_to_the_propertys_address(client, home):
    tenant = tenant_in(home, street="")
    notice = NoticeFactory(property=home, street="Lindenallee 3")
    client.force_login(tenant.user)
    assert client.get(detail_url(notice)).status_code == 200


def test_ended_contract_sees_nothing_upcoming_contract_sees_the_notice(client, home):
    former = tenant_in(home, start=TODAY - timedelta(days=900), end=TODAY - timedelta(days=1))
    coming = tenant_in(home, start=TODAY + timedelta(days=20))
    notice = NoticeFactory(property=home)
    everywhere = NoticeFactory(property=None)

    client.force_login(former.user)
    assert client.get(detail_url(notice)).status_code == 404
    assert client.get(detail_url(everywhere)).status_code == 404
    client.force_login(coming.user)
    assert client.get(detail_url(notice)).status_code == 200
    assert client.get(detail_url(everywhere)).status_code == 200


def test_expired_and_future_notices_are_not_shown(client, home):
    tenant = tenant_in(home)
    expired = NoticeFactory(
        property=home,
        title="Gestern vorbei",
        valid_from=TODAY - timedelta(days=3),
        valid_until=TODAY - timedelta(days=1),
    )
    later = NoticeFactory(
        property=home, title="Erst nächste Woche", valid_from=TODAY + timedelta(7)
    )
    last_day = NoticeFactory(property=home, title="Heute noch", valid_until=TODAY)

    client.force_login(tenant.user)
    html = client.get(reverse("notices:index")).content.decode()
    assert "Heute noch" in html
    assert "Gestern vorbei" not in html and "Erst nächste Woche" not in html
    assert client.get(detail_url(expired)).status_code == 404
    assert client.get(detail_url(later)).status_code == 404
    assert client.get(detail_url(last_day)).status_code == 200


def test_start_page_card_shows_urgent_first_with_the_badge(client, home):
    tenant = tenant_in(home)
    NoticeFactory(property=None, title="Rauchmelder", valid_from=TODAY)
    NoticeFactory(
        property=home, title="Aufzug außer Betrieb", urgent=True, valid_from=TODAY - timedelta(2)
    )
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:home")).content.decode()

    assert html.index("Aufzug außer Betrieb") < html.index("Rauchmelder")
    assert "Eilt" in html
    assert reverse("notices:index") in html


def test_start_page_has_no_card_without_notices(client, home):
    tenant = tenant_in(home)
    client.force_login(tenant.user)
    assert "card-notices" not in client.get(reverse("tenants:home")).content.decode()


def test_english_page_shows_the_english_text(client, home):
    tenant = tenant_in(home, language="en")
    notice = NoticeFactory(
        property=home, title="Aufzug außer Betrieb", title_en="Lift out of service"
    )
    client.force_login(tenant.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(detail_url(notice)).content.decode()
    assert "Lift out of service" in html


# -- read marks ------------------------------------------------------------------------------


def test_opening_marks_read_once_and_the_clerk_sees_1_of_n(client, home, clerk_of):
    reader, other = tenant_in(home), tenant_in(home)
    tenant_in(PropertyFactory())  # outside the scope: not counted
    tenant_in(home, start=TODAY - timedelta(900), end=TODAY - timedelta(1))  # moved out
    no_account = TenantFactory(user=None)
    ContractFactory(partners=[no_account], unit=UnitFactory(property=home))
    notice = NoticeFactory(property=home)

    client.force_login(reader.user)
    client.get(detail_url(notice))
    client.get(detail_url(notice))
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert other.user_id not in NoticeRead.objects.values_list("user_id", flat=True)

    counted = notice_admin_queryset(Notice.objects.filter(pk=notice.pk)).get()
    assert (counted.read_count, counted.audience_count) == (1, 2)
    clerk_of("Technik")
    html = client.get(reverse("admin:notices_notice_changelist")).content.decode()
    assert "gelesen: 1 von 2" in html


def test_audience_of_a_notice_for_all_properties_counts_every_current_tenant(home):
    tenant_in(home), tenant_in(PropertyFactory()), tenant_in(PropertyFactory())
    notice = NoticeFactory(property=None)
    counted = notice_admin_queryset(Notice.objects.filter(pk=notice.pk)).get()
    assert counted.audience_count == 3


def test_a_blocked_account_gets_no_notice_and_does_not_count(home):
    reader, blocked = tenant_in(home), tenant_in(home)
    blocked.user.is_active = False
    blocked.user.save(update_fields=["is_active"])
    notice = NoticeFactory(property=home, urgent=True)

    counted = notice_admin_queryset(Notice.objects.filter(pk=notice.pk)).get()

    assert counted.audience_count == 1
    assert list(notice_audience(notice=notice)) == [reader]


def test_clerk_list_runs_the_same_queries_for_many_notices(client, home, clerk_of, count_queries):
    tenant_in(home)
    NoticeFactory(property=home)
    clerk_of("Technik")
    url = reverse("admin:notices_notice_changelist")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for _ in range(6):
        NoticeFactory(property=home)
        NoticeFactory(property=None)
    assert count_queries(lambda: client.get(url)) == few


def test_tenant_pages_run_a_constant_number_of_queries(client, home, count_queries):
    tenant = tenant_in(home)
    ContractFactory(partners=[tenant], unit=UnitFactory(property=home, street="Lindenallee 3a"))
    first = NoticeFactory(property=home)
    client.force_login(tenant.user)
    urls = [reverse("notices:index"), reverse("tenants:home"), detail_url(first)]
    for url in urls:
        client.get(url)

    def cold(url):  # the start page's cards rendered afresh (tenants/cards.py), every time
        cache.clear()
        return count_queries(lambda: client.get(url))

    before = [cold(url) for url in urls]
    for _ in range(5):
        notice = NoticeFactory(property=home, urgent=True)
        NoticeRead.objects.create(notice=notice, user=tenant.user)
        NoticeFactory(property=None)
    assert [cold(url) for url in urls] == before


# -- clerks ----------------------------------------------------------------------------------


def notice_form(**overrides):
    data = {
        "kind": "outage",
        "urgent": "on",
        "property": "",
        "street": "",
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=3)).isoformat(),
        "title": "Wasser abgestellt",
        "title_en": "Water off",
        "text": "Von 8 bis 12 Uhr ist das Wasser abgestellt.",
        "text_en": "The water is off from 8 to 12.",
    }
    data.update(overrides)
    return data


def test_mietenbuchhaltung_may_not_add_notices(client, clerk_of, home):
    clerk_of("Mietenbuchhaltung")
    assert client.get(reverse("admin:notices_notice_add")).status_code == 403
    response = client.post(reverse("admin:notices_notice_add"), notice_form(property=home.pk))
    assert response.status_code == 403
    assert not Notice.objects.exists()


@pytest.mark.parametrize("group", ["Technik", "Kundenservice"])
def test_technik_and_kundenservice_publish_a_notice_audited(
    client, clerk_of, home, group, django_capture_on_commit_callbacks
):
    clerk = clerk_of(group)
    tenant = tenant_in(home)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notices_notice_add"), notice_form(property=home.pk, street="")
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.created_by == clerk and notice.published_at is not None
    audit = AuditEntry.objects.get(action="notice.created")
    assert audit.actor == clerk and audit.changes["title"] == "Wasser abgestellt"
    assert OutboundEmail.objects.filter(to=tenant.user.email, kind="notice_new").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notices_notice_change", args=[notice.pk]),
            notice_form(property=home.pk, title="Wasser doch erst ab 9 Uhr abgestellt"),
        )
    changed = AuditEntry.objects.get(action="notice.changed")
    assert changed.changes == {"title": "Wasser doch erst ab 9 Uhr abgestellt"}
    # The change does not send the notice a second time.
    assert OutboundEmail.objects.filter(to=tenant.user.email, kind="notice_new").count() == 1


def test_a_building_must_belong_to_the_chosen_property(client, clerk_of, home):
    UnitFactory(property=PropertyFactory(), street="Fremde Straße 9")
    clerk_of("Technik")
    response = client.post(
        reverse("admin:notices_notice_add"), notice_form(property=home.pk, street="Fremde Straße 9")
    )
    assert response.status_code == 200
    assert not Notice.objects.exists()


# -- mail ------------------------------------------------------------------------------------


def publish(notice_kwargs, by, capture):
    with capture(execute=True):
        return notice_save(notice=Notice(**notice_kwargs), by=by)


def lift(home, **overrides):
    return {
        "property": home,
        "kind": Notice.Kind.OUTAGE,
        "urgent": True,
        "title": "Aufzug außer Betrieb",
        "title_en": "Lift out of service",
        "text": "Der Aufzug steht bis Freitag.",
        "text_en": "The lift is out until Friday.",
        "valid_from": TODAY,
        "valid_until": TODAY + timedelta(days=5),
        **overrides,
    }


def test_urgent_notice_is_mailed_once_per_tenant_in_their_language(
    home, django_capture_on_commit_callbacks, mailoutbox
):
    clerk = StaffFactory()
    german = tenant_in(home)
    english = tenant_in(home, language="en")
    ContractFactory(partners=[german], unit=UnitFactory(property=home))  # two units, one mail
    neighbour = tenant_in(PropertyFactory(number="1002"))

    notice = publish(lift(home), clerk, django_capture_on_commit_callbacks)

    mails = {row.to: row for row in OutboundEmail.objects.filter(kind="notice_new")}
    assert set(mails) == {german.user.email, english.user.email}
    assert neighbour.user.email not in mails
    assert mails[german.user.email].subject == "Dringender Aushang: Aufzug außer Betrieb"
    assert mails[english.user.email].subject == "Urgent notice: Lift out of service"
    assert "The lift is out until Friday." in mails[english.user.email].body_text
    assert {m.to[0] for m in mailoutbox} == {german.user.email, english.user.email}
    assert not Notice.objects.get(pk=notice.pk).mail_pending

    # Running the mail again (a retried task, the sweeper) sends nothing twice.
    Notice.objects.filter(pk=notice.pk).update(mail_pending=True)
    assert notice_mail_send(notice_id=notice.pk) == 0
    assert OutboundEmail.objects.filter(kind="notice_new").count() == 2


def test_many_recipients_are_mailed_in_batches(home, django_capture_on_commit_callbacks):
    tenants = [tenant_in(home) for _ in range(5)]
    from notices import services

    original, services.MAIL_BATCH = services.MAIL_BATCH, 2
    try:
        publish(lift(home), StaffFactory(), django_capture_on_commit_callbacks)
    finally:
        services.MAIL_BATCH = original
    assert NoticeMail.objects.count() == 5
    assert OutboundEmail.objects.filter(kind="notice_new").count() == len(tenants)


def test_non_urgent_notice_is_mailed_only_to_who_opted_in(
    client, home, django_capture_on_commit_callbacks
):
    keen, quiet = tenant_in(home), tenant_in(home)
    client.force_login(keen.user)
    response = client.post(reverse("notices:preference"), {"notices-notices_by_email": "on"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="notice.preference_changed").exists()

    publish(
        lift(home, urgent=False, kind="maintenance"),
        StaffFactory(),
        django_capture_on_commit_callbacks,
    )

    recipients = list(OutboundEmail.objects.filter(kind="notice_new").values_list("to", flat=True))
    assert recipients == [keen.user.email]
    assert quiet.user.email not in recipients
    subject = OutboundEmail.objects.get().subject
    assert subject == "Aushang: Aufzug außer Betrieb"


def test_made_urgent_later_reaches_the_others_once(home, django_capture_on_commit_callbacks):
    from notices.models import NoticePreference

    keen, quiet = tenant_in(home), tenant_in(home)
    NoticePreference.objects.create(user=keen.user, notices_by_email=True)
    clerk = StaffFactory()
    notice = publish(lift(home, urgent=False), clerk, django_capture_on_commit_callbacks)
    notice.urgent = True
    with django_capture_on_commit_callbacks(execute=True):
        notice_save(notice=notice, by=clerk, changed=["urgent"])

    rows = list(OutboundEmail.objects.filter(kind="notice_new").values_list("to", flat=True))
    assert sorted(rows) == sorted([keen.user.email, quiet.user.email])


def test_profile_shows_the_choice_and_keeps_it(client, home):
    tenant = tenant_in(home)
    client.force_login(tenant.user)
    html = client.get(reverse("tenants:profile")).content.decode()
    assert (
        'name="notices-notices_by_email"' in html
        and "checked" not in html.split('name="notices-notices_by_email"')[1].split(">")[0]
    )
    client.post(reverse("notices:preference"), {"notices-notices_by_email": "on"})
    html = client.get(reverse("tenants:profile")).content.decode()
    assert "checked" in html.split('name="notices-notices_by_email"')[1].split(">")[0]


def test_preference_is_post_only(client, home):
    client.force_login(tenant_in(home).user)
    assert client.get(reverse("notices:preference")).status_code == 405


def test_notice_list_runs_two_queries_whatever_the_number(home, django_assert_num_queries):
    from notices.selectors import notice_list

    tenant = tenant_in(home)
    for _ in range(4):
        NoticeFactory(property=home)
        NoticeFactory(property=None)
    with django_assert_num_queries(2):  # the tenant's units, the notices with their read mark
        assert len(notice_list(tenant=tenant)) == 8


def test_demo_notices_are_seeded_once_and_the_lift_only_for_property_1001(home):
    import io

    from notices.demo import seed_notices

    StaffFactory(email="technik@example.com")
    seed_notices(io.StringIO())
    seed_notices(io.StringIO())

    lift = Notice.objects.get(title_en="Lift out of service")
    assert lift.urgent and lift.property == home
    assert Notice.objects.get(title_en="Smoke alarm maintenance").property is None
    assert Notice.objects.count() == 2


def test_the_sweeper_sends_what_a_lost_task_left_pending(home):
    from notices.tasks import notices_mail_pending_task

    tenant = tenant_in(home)
    # Published two minutes ago, but the broker was down: nothing was queued yet.
    NoticeFactory(
        property=home,
        urgent=True,
        mail_pending=True,
        published_at=timezone.now() - timedelta(minutes=3),
    )
    NoticeFactory(property=home, urgent=True, mail_pending=True)  # just now: its task may run

    assert notices_mail_pending_task() == 1
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [tenant.user.email]
