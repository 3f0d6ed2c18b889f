"""Forgiving comparison of names as people type them."""

import re
import unicodedata

_UMLAUT_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Letters that Unicode does not decompose into a base letter plus accent.
_SPECIAL = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’.]+")
# "ue" typed for ü (and ae, oe) may appear in one part of a name and not in another.
_E_DIGRAPHS = re.compile(r"([aou])e")


def fold_name(name: str, *, umlaut_as_e: bool = False) -> str:
    """Lower-case, accent-free, with hyphens, spaces and apostrophes treated alike.

    "Müller-Lüdenscheidt" → "muller ludenscheidt" (or "mueller luedenscheidt" with umlaut_as_e);
    "Núñez" → "nunez"; "Strauß" → "strauss".
    """
    text = unicodedata.normalize("NFC", name).casefold()  # casefold turns ß into ss
    if umlaut_as_e:
        text = text.translate(_UMLAUT_E)
    text = text.translate(_SPECIAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text).strip()


def name_variants(name: str) -> set[str]:
    """Forms to compare: ü read as u, and every ae/oe/ue read as a/o/u.

    The second form lets "Mueller-Ludenscheidt" match "Müller-Lüdenscheidt" (one umlaut
    spelt out, the other dropped). It is applied to both sides, so it cannot make two names
    equal that differ in more than how their umlauts are written.
    """
    plain = fold_name(name)
    return {plain, _E_DIGRAPHS.sub(r"\1", plain)}


def names_match(typed: str, expected: str) -> bool:
    typed_variants = name_variants(typed)
    return bool(typed_variants & name_variants(expected)) and all(typed_variants)
