"""Moving the tenancy into the base layer keeps every row of an existing database.

A database with the demo data is taken back to the migrations before the move (the state the
portal had in production), then migrated forward: same tables, same rows, same ids, the
content type relabelled and the clerk groups' permissions kept.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from contracts.models import BankChangeRequest, Mandate
from documents.models import Delivery
from requests.models import ContactRequest
from tenants.models import Contract
from tenants.roles import GROUP_NAMES
from tenants.selectors import partners_by_contract_number

BEFORE_THE_MOVE = [("tenants", "0005_auditentry"), ("contracts", "0003_mandate_superseded")]


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "django_migrations":  # the two new migrations are rows there
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _group_perms(name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_reference():
    call_command("seed_demo", verbosity=0)
    _migrate(BEFORE_THE_MOVE)
    # What production looked like before: the contract's content type is the contracts area's.
    old_type = ContentType.objects.get(app_label="contracts", model="contract")
    assert not ContentType.objects.filter(app_label="tenants", model="contract").exists()
    accounting = GROUP_NAMES["accounting"]
    assert "contracts.change_contract" in _group_perms(accounting)
    before = _row_counts()
    contract_ids = sorted(Contract.objects.values_list("pk", flat=True))
    mandates = dict(Mandate.objects.values_list("pk", "contract_id"))
    bank_changes = dict(BankChangeRequest.objects.values_list("pk", "contract_id"))
    request_units = dict(ContactRequest.objects.values_list("pk", "unit_id"))

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    after = _row_counts()
    # Tables of later migrations (e.g. jobs) come back empty; every table that was there keeps
    # exactly its rows.
    assert {table: after[table] for table in before} == before
    assert all(after[table] == 0 for table in set(after) - set(before))
    assert before["contracts_contract"] >= 3 and before["contracts_mandate"] >= 1
    assert sorted(Contract.objects.values_list("pk", flat=True)) == contract_ids
    assert dict(Mandate.objects.values_list("pk", "contract_id")) == mandates
    assert dict(BankChangeRequest.objects.values_list("pk", "contract_id")) == bank_changes
    assert dict(ContactRequest.objects.values_list("pk", "unit_id")) == request_units
    assert all(Mandate.objects.select_related("contract").values_list("contract__contract_number"))
    # The content type kept its id (log entries, permissions) and now names the base layer.
    new_type = ContentType.objects.get_for_model(Contract)
    assert (new_type.pk, new_type.app_label) == (old_type.pk, "tenants")
    assert "tenants.change_contract" in _group_perms(accounting)
    assert Permission.objects.filter(content_type=new_type).count() == 4
    # sync_clerk_groups finds the renamed permissions.
    call_command("sync_clerk_groups", verbosity=0)
    assert "tenants.view_contract" in _group_perms(GROUP_NAMES["technical"])
    # Documents still find their contracts' partners by contract number.
    numbers = list(Contract.objects.values_list("contract_number", flat=True))
    partners = partners_by_contract_number(contract_numbers=numbers)
    assert set(partners) == set(numbers)
    delivered = set(Delivery.objects.values_list("tenant_id", flat=True))
    assert delivered <= {t.pk for tenants in partners.values() for t in tenants}
