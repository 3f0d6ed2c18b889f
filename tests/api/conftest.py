from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.tenants.factories import ContractFactory, StaffFactory, TenantFactory, UnitFactory

from .kit import AppClient, token_for


@dataclass
class World:
    """Two tenants in two flats, a Kundenservice clerk, and an app token for each."""

    owner: object
    owner_contract: object
    other: object
    other_contract: object
    clerk: object

    def client(self, role: str) -> AppClient:
        if role == "owner":
            return AppClient(token_for(self.owner.user))
        if role == "other":
            return AppClient(token_for(self.other.user))
        if role == "clerk":
            return AppClient(token_for(self.clerk))
        if role == "expired":
            return AppClient(token_for(self.owner.user, expired=True))
        if role == "anonymous":
            return AppClient()
        raise ValueError(role)


def make_world() -> World:
    call_command("sync_clerk_groups")
    clerk = StaffFactory()
    clerk.groups.add(Group.objects.get(name="Kundenservice"))
    owner = TenantFactory(last_name="Eigentlich", paperless=True)
    other = TenantFactory(last_name="Anderswo", paperless=True)
    owner_contract = ContractFactory(unit=UnitFactory(), partners=[owner])
    other_contract = ContractFactory(unit=UnitFactory(), partners=[other])
    return World(owner, owner_contract, other, other_contract, clerk)


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def owner_app(world) -> AppClient:
    return world.client("owner")
