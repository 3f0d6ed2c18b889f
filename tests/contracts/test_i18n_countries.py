"""Country names from pycountry in the page's language (the SEPA account holder's country)."""

import pytest
from django.utils import translation

from contracts.forms import BankChangeForm, sepa_country_choices
from tenants.i18n import country_name


@pytest.mark.parametrize(
    ("code", "german", "english"),
    [
        ("DE", "Deutschland", "Germany"),
        ("AT", "Österreich", "Austria"),
        ("NL", "Niederlande", "Netherlands"),
        ("CZ", "Tschechien", "Czechia"),
        ("GB", "Vereinigtes Königreich", "United Kingdom"),
    ],
)
def test_country_names_in_german_and_english(code, german, english):
    assert country_name(code, "de") == german
    assert country_name(code, "en") == english
    assert country_name(code.lower(), "en-gb") == english


def test_unknown_code_stays_a_code():
    assert country_name("XX", "de") == "XX"


def test_sepa_countries_germany_first_then_alphabetical_in_each_language():
    for language, first, austria, between in [
        ("de", "Deutschland", "Österreich", ("Norwegen", "Polen")),
        ("en", "Germany", "Austria", ("Andorra", "Belgium")),
    ]:
        names = [name for _code, name in sepa_country_choices(language)]
        assert names[0] == first
        rest = names[1:]
        assert rest.index(between[0]) < rest.index(austria) < rest.index(between[1])


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("en", ["Germany", "Austria", "France"], "Frankreich"), ("de", ["Deutschland"], "France")],
)
def test_bank_change_form_offers_countries_in_the_active_language(language, shown, hidden):
    with translation.override(language):
        labels = dict(BankChangeForm().fields["holder_country"].choices)

    assert labels["DE"] == shown[0]
    assert all(name in labels.values() for name in shown)
    assert hidden not in labels.values()
