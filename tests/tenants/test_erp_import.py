import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from tenants.erp.format import ENTITIES, FormatError, json_schema
from tenants.erp.importer import erp_import
from tenants.models import (
    Area,
    AuditEntry,
    ClerkResponsibility,
    ContactPerson,
    Contract,
    OutboundEmail,
    Property,
    Team,
    Tenant,
    Unit,
)
from tenants.services import tenant_phone_set

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Reasons are asserted in English; German (the default) is checked once below.
    with translation.override("en"):
        yield


HEADERS = {name: [f.name for f in fields] for name, fields in ENTITIES.items()}


def write(tmp_path, mode="full", exported_at=None, **files):
    """files: entity -> list of dicts (CSV) ; entity_jsonl -> list of dicts (JSON Lines)."""
    exported_at = exported_at or timezone.now().isoformat()
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format_version": 1, "mode": mode, "exported_at": exported_at})
    )
    for path in tmp_path.glob("*.*"):
        if path.name != "manifest.json":
            path.unlink()
    for name, rows in files.items():
        if name.endswith("_jsonl"):
            entity = name.removesuffix("_jsonl")
            text = "".join(json.dumps(row) + "\n" for row in rows)
            (tmp_path / f"{entity}.jsonl").write_text(text, encoding="utf-8")
            continue
        header = HEADERS[name]
        lines = [";".join(header)]
        lines += [";".join(str(row.get(h, "")) for h in header) for row in rows]
        (tmp_path / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


PROP = {"number": "1001", "name": "Elbblick", "street": "Elbchaussee 1", "postal_code": "22763"}
PROP |= {"city": "Hamburg"}
UNIT = {"property": "1001", "number": "W01", "kind": "flat", "living_area": "61,5", "rooms": "2"}
TENANT = {
    "number": "100001",
    "salutation": "ms",
    "first_name": "Zoë",
    "last_name": "Núñez-Straßburger",
    "street": "Elbchaussee 1",
    "postal_code": "22763",
    "city": "Hamburg",
    "phone": "040 123",
    "email": "zoe@example.org",
}
CONTRACT = {
    "number": "1001-W01-01",
    "property": "1001",
    "unit": "W01",
    "partners": "100001",
    "start_date": "2020-01-01",
    "grundmiete": "600.00",
    "betriebskosten_vorauszahlung": "120.00",
    "heizkosten_vorauszahlung": "80.00",
}


def base(tmp_path, mode="full", **overrides):
    files = {
        "properties": [PROP],
        "units": [UNIT],
        "tenants": [TENANT],
        "contracts": [CONTRACT],
    }
    files.update(overrides)
    return write(tmp_path, mode=mode, **files)


def counts(report, entity):
    return report.entities[entity].counts()


def test_first_import_creates_every_entity(tmp_path):
    team = Team.objects.create(name="Team KS", area=Area.CUSTOMER_SERVICE, email="ks@x.de")
    clerk = StaffFactory(email="clerk@x.de")
    report = erp_import(
        directory=base(
            tmp_path,
            responsibilities=[
                {"property": "1001", "area": "customer_service", "clerk_email": "CLERK@x.de"}
                | {"team": "Team KS"}
            ],
            contact_persons=[
                {"property": "1001", "name": "Sabine", "role": "Kundenbetreuerin"}
                | {"area": "customer_service", "phone": "040 1", "email": "s@x.de"}
            ],
        )
    )

    for entity in ORDER_NAMES:
        assert counts(report, entity) == {"created": 1, "changed": 0, "unchanged": 0, "refused": 0}
    unit = Unit.objects.get(number="W01")
    assert unit.living_area == Decimal("61.50") and unit.property.city == "Hamburg"
    contract = Contract.objects.get(contract_number="1001-W01-01")
    assert list(contract.partners.values_list("tenant_number", flat=True)) == ["100001"]
    assert contract.total_rent == Decimal("800.00")
    responsibility = ClerkResponsibility.objects.get()
    assert (responsibility.clerk, responsibility.team) == (clerk, team)
    assert ContactPerson.objects.get().property.number == "1001"
    audit = AuditEntry.objects.get(action="erp.import")
    assert audit.changes["tenants"]["created"] == 1


ORDER_NAMES = ["properties", "units", "tenants", "contracts", "responsibilities", "contact_persons"]


def test_same_files_again_change_nothing(tmp_path):
    directory = base(tmp_path)
    erp_import(directory=directory)
    before = list(Tenant.objects.values_list("updated_at", flat=True))

    report = erp_import(directory=directory)

    for entity in ["properties", "units", "tenants", "contracts"]:
        assert counts(report, entity) == {"created": 0, "changed": 0, "unchanged": 1, "refused": 0}
    assert list(Tenant.objects.values_list("updated_at", flat=True)) == before
    assert report.ended == []


def test_changes_are_applied_and_counted(tmp_path):
    erp_import(directory=base(tmp_path))
    report = erp_import(
        directory=base(
            tmp_path,
            properties=[PROP | {"name": "Elbblick Nord"}],
            units=[UNIT | {"kind": "commercial"}],
            tenants=[TENANT | {"last_name": "Núñez"}],
            contracts=[CONTRACT | {"grundmiete": "650,00"}],
        )
    )

    for entity in ["properties", "units", "tenants", "contracts"]:
        assert counts(report, entity)["changed"] == 1
    assert Property.objects.get().name == "Elbblick Nord"
    assert Unit.objects.get().kind == Unit.Kind.COMMERCIAL
    assert Tenant.objects.get().last_name == "Núñez"
    assert Contract.objects.get().grundmiete == Decimal("650.00")


def test_json_lines_is_read_like_csv(tmp_path):
    report = erp_import(
        directory=write(
            tmp_path,
            properties_jsonl=[PROP],
            units_jsonl=[UNIT | {"living_area": 61.5}],
            tenants_jsonl=[TENANT | {"paperless_consent": True}],
            contracts_jsonl=[CONTRACT | {"partners": ["100001"], "grundmiete": 600}],
        )
    )

    assert report.refused_total == 0
    assert Tenant.objects.get().paperless_consent is True
    assert Contract.objects.get().grundmiete == Decimal("600.00")


def test_unknown_unit_end_before_start_and_duplicate_are_refused_with_line(tmp_path):
    report = erp_import(
        directory=base(
            tmp_path,
            contracts=[
                CONTRACT | {"number": "C-1", "unit": "W99"},
                CONTRACT | {"number": "C-2", "end_date": "2019-12-31"},
                CONTRACT | {"number": "C-3"},
                CONTRACT | {"number": "C-3"},
            ],
        )
    )

    refused = {(r.line, r.key): r.reason for r in report.entities["contracts"].refused}
    assert "unknown unit" in refused[(2, "C-1")]
    assert "end date before start date" in refused[(3, "C-2")]
    assert "duplicate" in refused[(4, "C-3")] and "duplicate" in refused[(5, "C-3")]
    assert Contract.objects.count() == 0
    assert counts(report, "units")["created"] == 1


def test_duplicate_tenant_number_refuses_the_tenants_and_their_contracts(tmp_path):
    report = erp_import(directory=base(tmp_path, tenants=[TENANT, TENANT | {"first_name": "X"}]))

    assert len(report.entities["tenants"].refused) == 2
    assert "unknown partner: 100001" in report.entities["contracts"].refused[0].reason
    assert Tenant.objects.count() == 0 and Contract.objects.count() == 0


def test_refused_property_refuses_its_units(tmp_path):
    report = erp_import(
        directory=base(tmp_path, properties=[PROP | {"postal_code": ""}], contracts=[])
    )

    assert "postal_code is missing" in report.entities["properties"].refused[0].reason
    assert "unknown property" in report.entities["units"].refused[0].reason
    assert Unit.objects.count() == 0


def test_bad_values_are_refused_per_field(tmp_path):
    report = erp_import(
        directory=base(
            tmp_path,
            units=[UNIT | {"kind": "castle", "living_area": "-3"}],
            tenants=[TENANT | {"email": "no-mail", "country": "de"}],
        )
    )

    unit_reason = report.entities["units"].refused[0].reason
    assert "kind must be one of" in unit_reason and "living_area is out of range" in unit_reason
    tenant_reason = report.entities["tenants"].refused[0].reason
    assert "not an e-mail address" in tenant_reason and "two-letter" in tenant_reason


def test_missing_manifest_or_unknown_column_changes_nothing(tmp_path):
    directory = base(tmp_path)
    (directory / "units.csv").write_text("property;number;kind;colour\n1001;W01;flat;red\n")
    with pytest.raises(FormatError):
        erp_import(directory=directory)
    (directory / "manifest.json").unlink()
    with pytest.raises(CommandError):
        call_command("import_master_data", str(directory))
    assert Property.objects.count() == 0


def test_delta_file_leaves_missing_contracts_alone(tmp_path):
    erp_import(directory=base(tmp_path))
    report = erp_import(directory=base(tmp_path, mode="delta", contracts=[], tenants=[]))

    assert report.ended == []
    assert Contract.objects.get().end_date is None


def test_full_file_ends_a_missing_contract_and_tells_customer_service(tmp_path):
    Team.objects.create(
        name="Team KS", area=Area.CUSTOMER_SERVICE, email="ks@x.de", is_default=True
    )
    erp_import(directory=base(tmp_path))
    exported = timezone.now()
    report = erp_import(directory=base(tmp_path, contracts=[], tenants=[]))

    contract = Contract.objects.get()
    assert contract.end_date == timezone.localdate(exported)
    assert report.ended == [("1001-W01-01", contract.end_date)]
    assert Tenant.objects.count() == 1  # tenants are never deleted
    mail = OutboundEmail.objects.get(kind="erp_import_report")
    assert mail.to == "ks@x.de" and "1001-W01-01" in mail.body_text

    again = erp_import(directory=base(tmp_path, contracts=[], tenants=[]))
    assert again.ended == []  # already ended: unchanged


def test_full_file_without_a_contracts_file_ends_nothing(tmp_path):
    erp_import(directory=base(tmp_path))
    report = erp_import(directory=write(tmp_path, properties=[PROP]))

    assert report.ended == []
    assert Contract.objects.get().end_date is None


def test_move_in_creates_a_tenant_waiting_for_a_letter(tmp_path):
    erp_import(directory=base(tmp_path))
    newcomer = TENANT | {"number": "100002", "first_name": "Jürgen", "last_name": "Ölschläger"}
    report = erp_import(
        directory=base(
            tmp_path,
            mode="delta",
            units=[UNIT | {"number": "W02"}],
            tenants=[newcomer],
            contracts=[CONTRACT | {"number": "1001-W02-01", "unit": "W02", "partners": "100002"}],
        )
    )

    assert counts(report, "tenants")["created"] == 1
    tenant = Tenant.objects.get(tenant_number="100002")
    assert tenant.user is None  # needs a registration letter
    assert Contract.objects.current().filter(partners=tenant).count() == 1


def test_move_out_ends_the_contract(tmp_path):
    erp_import(directory=base(tmp_path))
    end = date.today() - timedelta(days=1)
    report = erp_import(
        directory=base(tmp_path, mode="delta", contracts=[CONTRACT | {"end_date": end}])
    )

    assert counts(report, "contracts")["changed"] == 1
    contract = Contract.objects.get()
    assert contract.end_date == end and contract.is_ended


def test_contract_cannot_move_to_another_unit(tmp_path):
    erp_import(directory=base(tmp_path, units=[UNIT, UNIT | {"number": "W02"}]))
    report = erp_import(
        directory=base(tmp_path, mode="delta", contracts=[CONTRACT | {"unit": "W02"}])
    )

    assert "cannot change" in report.entities["contracts"].refused[0].reason
    assert Contract.objects.get().unit.number == "W01"


def test_partners_follow_the_file(tmp_path):
    second = TENANT | {"number": "100002"}
    erp_import(directory=base(tmp_path, tenants=[TENANT, second]))
    erp_import(
        directory=base(
            tmp_path, tenants=[TENANT, second], contracts=[CONTRACT | {"partners": "100001,100002"}]
        )
    )
    assert Contract.objects.get().partners.count() == 2

    erp_import(
        directory=base(
            tmp_path, tenants=[TENANT, second], contracts=[CONTRACT | {"partners": "100002"}]
        )
    )
    assert list(Contract.objects.get().partners.values_list("tenant_number", flat=True)) == [
        "100002"
    ]


def test_portal_change_newer_than_the_export_is_kept_and_reported(tmp_path):
    erp_import(directory=base(tmp_path))
    tenant = Tenant.objects.get()
    tenant.user = UserFactory()
    tenant.save()
    exported_at = (timezone.now() - timedelta(hours=1)).isoformat()
    tenant_phone_set(tenant=tenant, phone="0171 999", by=tenant.user)

    report = erp_import(
        directory=write(
            tmp_path,
            exported_at=exported_at,
            tenants=[TENANT | {"phone": "040 000", "last_name": "Neu"}],
        )
    )

    tenant.refresh_from_db()
    assert tenant.phone == "0171 999"
    assert tenant.last_name == "Neu"
    assert report.conflicts == [("100001", "phone", "040 000", "0171 999")]


def test_erp_value_newer_than_the_portal_change_wins(tmp_path):
    erp_import(directory=base(tmp_path))
    tenant = Tenant.objects.get()
    tenant.user = UserFactory()
    tenant.save()
    tenant_phone_set(tenant=tenant, phone="0171 999", by=tenant.user)
    later = (timezone.now() + timedelta(minutes=5)).isoformat()

    report = erp_import(
        directory=write(tmp_path, exported_at=later, tenants=[TENANT | {"phone": "040 000"}])
    )

    assert Tenant.objects.get().phone == "040 000"
    assert report.conflicts == []


def test_empty_paperless_cell_keeps_the_consent(tmp_path):
    erp_import(directory=base(tmp_path, tenants=[TENANT | {"paperless_consent": "true"}]))
    erp_import(directory=base(tmp_path))

    assert Tenant.objects.get().paperless_consent is True


def test_full_contact_file_hides_missing_contact_persons(tmp_path):
    person = {"name": "Sabine", "role": "KS", "area": "customer_service", "phone": "1"}
    person |= {"email": "s@x.de"}
    erp_import(directory=write(tmp_path, properties=[PROP], contact_persons=[person]))
    erp_import(directory=write(tmp_path, properties=[PROP], contact_persons=[]))

    assert ContactPerson.objects.get().is_active is False


def test_unknown_team_or_clerk_refuses_the_responsibility(tmp_path):
    report = erp_import(
        directory=write(
            tmp_path,
            properties=[PROP],
            responsibilities=[
                {"property": "1001", "area": "technical", "team": "Nobody"},
            ],
        )
    )

    assert "unknown team" in report.entities["responsibilities"].refused[0].reason


def test_check_only_changes_nothing(tmp_path, capsys):
    call_command("import_master_data", str(base(tmp_path)), "--check")

    assert Property.objects.count() == 0
    assert "tenants: 1 created" in capsys.readouterr().out


def test_schemas_in_docs_match_the_format():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "docs" / "erp" / "schemas"
    for entity in ENTITIES:
        stored = json.loads((root / f"{entity}.v1.json").read_text(encoding="utf-8"))
        assert stored == json_schema(entity), entity


def test_example_files_import_without_refusals(tmp_path):
    from pathlib import Path

    Team.objects.create(name="Team Kundenservice", area=Area.CUSTOMER_SERVICE, email="k@x.de")
    Team.objects.create(name="Team Mietenbuchhaltung", area=Area.ACCOUNTING, email="m@x.de")
    Team.objects.create(name="Team Technik", area=Area.TECHNICAL, email="t@x.de")
    for email in ("sachbearbeitung", "buchhaltung", "technik"):
        StaffFactory(email=f"{email}@example.com")
    root = Path(__file__).resolve().parents[2] / "docs" / "erp" / "examples"
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        report = erp_import(directory=directory)
        assert report.refused_total == 0, (directory, report.text())


def test_reasons_are_german_by_default(tmp_path):
    with translation.override("de"):
        report = erp_import(directory=base(tmp_path, contracts=[CONTRACT | {"unit": "W99"}]))
        text = report.text()

    assert "unbekannte Einheit: 1001/W99" in report.entities["contracts"].refused[0].reason
    assert "contracts: 0 neu" in text


def test_import_as_a_job_leaves_its_report_in_the_job(tmp_path, django_capture_on_commit_callbacks):
    from tenants.erp.jobs import erp_import_job_start
    from tenants.jobs import JobError
    from tenants.models import Job

    admin = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = erp_import_job_start(directory=str(base(tmp_path)), by=admin)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.counts["created"] == 4 and job.counts["refused"] == 0
    assert "tenants: 1 created" in job.report
    assert Contract.objects.count() == 1
    with pytest.raises(JobError):
        erp_import_job_start(directory=str(tmp_path), by=StaffFactory())


def test_admin_start_page_starts_the_job(tmp_path, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from tenants.models import Job

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:tenants_job_erp_import")
    assert client.get(url).status_code == 200
    assert "manifest.json" in client.post(url, {"directory": str(tmp_path)}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"directory": str(base(tmp_path))})

    job = Job.objects.get(kind="erp_import")
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/change/")
    assert Tenant.objects.count() == 1
