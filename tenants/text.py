"""Forgiving comparison of names as people type them."""

import re
import unicodedata

_UMLAUT_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’.]+")


def fold_name(name: str, *, umlaut_as_e: bool = False) -> str:
    """Lower-case, accent-free, with hyphens, spaces and apostrophes treated alike.

    "Müller-Lüdenscheidt" → "muller ludenscheidt" (or "mueller luedenscheidt" with umlaut_as_e);
    "Núñez" → "nunez"; "Strauß" → "strauss".
    """
    text = unicodedata.normalize("NFC", name).casefold()  # casefold turns ß into ss
    if umlaut_as_e:
        text = text.translate(_UMLAUT_E)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text).strip()


def name_variants(name: str) -> set[str]:
    """Both readings of umlauts, so that ü matches u as well as ue."""
    return {fold_name(name), fold_name(name, umlaut_as_e=True)}


def names_match(typed: str, expected: str) -> bool:
    typed_variants = name_variants(typed)
    return bool(typed_variants & name_variants(expected)) and all(typed_variants)
