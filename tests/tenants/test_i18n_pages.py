"""Contact persons, privacy and terms, and the ERP's English columns, in German and English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tenants.erp.importer import erp_import
from tenants.models import Area, ContactPerson
from tests.tenants.factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def speak(client):
    tenant = TenantFactory()
    contract = ContractFactory(partners=[tenant])

    def use(language):
        tenant.user.language = language
        tenant.user.save()
        client.force_login(tenant.user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    use.contract = contract
    return use


@pytest.fixture
def adviser():
    return ContactPerson.objects.create(
        name="Sabine Sachmann",
        role="Kundenbetreuerin",
        role_en="Customer adviser",
        area=Area.CUSTOMER_SERVICE,
        phone="040 61 32 10",
        email="s.sachmann@thor.example",
        office_hours="Mo–Do 9–16 Uhr",
        office_hours_en="Mon–Thu 9 am–4 pm",
    )


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", ["Customer adviser", "Mon–Thu 9 am–4 pm"], ["Kundenbetreuerin", "Uhr"]),
        ("de", ["Kundenbetreuerin", "Mo–Do 9–16 Uhr"], ["Customer adviser", "Mon–Thu"]),
    ],
)
def test_contact_persons_show_role_and_office_hours_in_the_page_language(
    speak, adviser, language, shown, hidden
):
    client = speak(language)
    start = client.get(reverse("tenants:home")).content.decode()
    contract = client.get(
        reverse("contracts:detail", args=[speak.contract.contract_number])
    ).content.decode()

    for page in (start, contract):
        assert "Sabine Sachmann" in page
        for text in shown:
            assert text in page
        for text in hidden:
            assert text not in page


def test_a_contact_person_without_english_shows_german_on_english_pages(speak, adviser):
    ContactPerson.objects.filter(pk=adviser.pk).update(role_en="", office_hours_en="")

    page = speak("en").get(reverse("tenants:home")).content.decode()

    assert "Kundenbetreuerin" in page and "Mo–Do 9–16 Uhr" in page


@pytest.mark.parametrize(
    ("name", "english", "german"),
    [
        ("privacy", "Privacy notice for", "Datenschutzhinweise für"),
        ("terms", "Terms of use for", "Nutzungsbedingungen für"),
    ],
)
def test_privacy_and_terms_are_in_the_visitors_language(client, name, english, german):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = client.get(reverse(f"tenants:{name}")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    in_german = client.get(reverse(f"tenants:{name}")).content.decode()

    assert english in in_english and german not in in_english
    assert german in in_german and english not in in_german
    # The German text itself is unchanged and marked as German.
    assert '<div class="narrow prose" lang="de">' in in_german


def test_english_privacy_notice_keeps_the_authoritys_german_name_marked_as_german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("tenants:privacy")).content.decode()

    assert "Art. 6(1)(b) GDPR" in page and "DSGVO" not in page
    assert (
        '<span lang="de">Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit'
        in page
    )


@pytest.mark.parametrize(
    ("msgid", "german"),
    [("Email Address", "E-Mail-Adresse"), ("Change Email", "E-Mail-Adresse ändern")],
)
def test_allauths_email_strings_are_spelt_e_mail_in_german(msgid, german):
    with translation.override("de"):
        assert translation.gettext(msgid) == german
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_german_email_page_never_says_email_without_hyphen(speak):
    page = speak("de").get(reverse("account_email")).content.decode()

    assert "E-Mail-Adresse" in page
    assert "Email-Adresse" not in page and "Email ändern" not in page


CONTACTS = "property;name;role;area;phone;email;office_hours;order"
SABINE = "1001;Sabine Sachmann;Kundenbetreuerin;customer_service;040 1;s@thor.example;Mo 9–12 Uhr;0"


def _import(tmp_path, header, row):
    (tmp_path / "manifest.json").write_text(
        '{"format_version": 1, "mode": "delta", "exported_at": "2026-01-05T06:00:00+01:00"}'
    )
    (tmp_path / "properties.csv").write_text(
        "number;name;street;postal_code;city\n1001;Elbblick;Elbchaussee 1;22763;Hamburg\n",
        encoding="utf-8",
    )
    (tmp_path / "contact_persons.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    report = erp_import(directory=tmp_path, notify=False)
    assert report.refused_total == 0
    return ContactPerson.objects.get(name="Sabine Sachmann")


def test_erp_import_takes_english_role_and_office_hours_from_optional_columns(tmp_path):
    person = _import(
        tmp_path,
        CONTACTS + ";role_en;office_hours_en",
        SABINE + ";Customer adviser;Mon 9 am–12 noon",
    )

    assert (person.role, person.role_en) == ("Kundenbetreuerin", "Customer adviser")
    assert (person.office_hours, person.office_hours_en) == ("Mo 9–12 Uhr", "Mon 9 am–12 noon")


def test_erp_file_without_english_columns_keeps_the_english_clerks_entered(tmp_path):
    _import(tmp_path, CONTACTS + ";role_en;office_hours_en", SABINE + ";Adviser;Mon 9–12")
    ContactPerson.objects.update(role_en="Customer adviser")

    person = _import(tmp_path, CONTACTS, SABINE.replace("Kundenbetreuerin", "Beraterin"))

    assert person.role == "Beraterin"
    assert (person.role_en, person.office_hours_en) == ("Customer adviser", "Mon 9–12")


def test_erp_file_with_an_empty_english_cell_clears_the_english_text(tmp_path):
    _import(tmp_path, CONTACTS + ";role_en;office_hours_en", SABINE + ";Adviser;Mon 9–12")

    person = _import(tmp_path, CONTACTS + ";role_en;office_hours_en", SABINE + ";;")

    assert (person.role_en, person.office_hours_en) == ("", "")


def test_demo_contact_persons_have_english_role_and_office_hours():
    import csv

    path = settings.BASE_DIR / "docs" / "erp" / "examples" / "demo" / "contact_persons.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))

    assert rows and all(row["role_en"] and row["office_hours_en"] for row in rows)
    assert not any("Uhr" in row["office_hours_en"] for row in rows)
