"""German legal terms that stay German on English pages, with their English explanation.

Documents keep their legal names (a "Betriebskostenabrechnung" is what the law and the letter
call it), so an English page shows the German title and explains it beside it:
``{{ document.title }}{% with note=document.title|legal_note %}…{% endwith %}``.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

# German term → what an English-speaking tenant reads beside it. Longest terms first, so
# "SEPA-Lastschriftmandat" wins over "Lastschriftmandat".
LEGAL_TERMS = {
    "Wohnungsgeberbestätigung": "landlord's confirmation of residence",
    "Betriebskostenabrechnung": "operating cost statement",
    "Heizkostenabrechnung": "heating cost statement",
    "SEPA-Lastschriftmandat": "SEPA direct debit mandate",
    "Lastschriftmandat": "direct debit mandate",
    "Mietbescheinigung": "rent certificate",
}


def legal_explanation(text: str, shown: str = "", language: str | None = None) -> str:
    """The English explanation of the German legal term in ``text`` on an English page.

    Empty on German pages, for texts without such a term, and when ``shown`` (e.g. the
    document's kind, printed beside it) already says the same.
    """
    language = language or get_language() or ""
    if not text or not language.lower().startswith("en"):
        return ""
    for term, explanation in sorted(LEGAL_TERMS.items(), key=lambda item: -len(item[0])):
        if term in text:
            if explanation.lower() in (shown or "").lower():
                return ""
            return explanation
    return ""


@register.filter
def legal_note(text, shown=""):
    """{{ document.title|legal_note:document.get_kind_display }} → "operating cost statement"."""
    return legal_explanation(str(text or ""), str(shown or ""))
