from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from contracts.models import Contract
from tests.tenants.factories import UnitFactory


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    contract_number = factory.Sequence(lambda n: f"V-{n:06d}")
    unit = factory.SubFactory(UnitFactory)
    start_date = date(2020, 1, 1)
    grundmiete = Decimal("612.40")
    betriebskosten_vorauszahlung = Decimal("155.00")
    heizkosten_vorauszahlung = Decimal("92.60")

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.add(*extracted)
