"""Texts stored in the database in German and English, and country names per language.

German is the portal's first language: every such text has a German field (``role``) and an
optional English one beside it (``role_en``). Pages show the page's language; where the English
text is missing they fall back to German (the admin marks those rows for clerks).
"""

import functools
import gettext
import unicodedata

from django.utils.translation import get_language

ENGLISH_SUFFIX = "_en"


def is_english(language: str | None) -> bool:
    return (language or "").lower().startswith("en")


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_en`` for an English page when it is filled in, else the German ``obj.<field>``.

    Without a language, the active one (the page's or the e-mail's) is used.
    """
    if language is None:
        language = get_language()
    german = getattr(obj, field) or ""
    if is_english(language):
        english = (getattr(obj, field + ENGLISH_SUFFIX, "") or "").strip()
        if english:
            return english
    return german


def english_missing(obj, fields) -> bool:
    """True where a German text has no English counterpart (shown to clerks in the admin)."""
    return any(
        (getattr(obj, name) or "").strip()
        and not (getattr(obj, name + ENGLISH_SUFFIX) or "").strip()
        for name in fields
    )


def english_missing_q(fields):
    """The same as a query: rows where any German text of ``fields`` lacks its English text."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for name in fields:
        condition |= ~Q(**{name: ""}) & Q(**{name + ENGLISH_SUFFIX: ""})
    return condition


@functools.cache
def _country_catalogue(language: str) -> gettext.NullTranslations:
    import pycountry

    if is_english(language):
        # pycountry's own names are English (ISO 3166-1); no catalogue needed.
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@functools.cache
def _country_name(code: str, language: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    # Short common names where ISO has them ("Czechia", not "Czech Republic"; German likewise).
    name = getattr(country, "common_name", None) or country.name
    translated = _country_catalogue(language).gettext(name)
    if translated == name and name != country.name:
        translated = _country_catalogue(language).gettext(country.name)
    return translated


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the language (the active one by default), or the code itself."""
    language = (language or get_language() or "de").split("-")[0].lower()
    return _country_name((code or "").upper(), language)


def sort_key(text: str) -> str:
    """Alphabetical order that puts "Österreich" among the O's, not after Z."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
