"""Registration codes: generation, forgiving normalisation and keyed hashing.

Codes use Crockford's base-32 alphabet (no I, L, O, U), so the look-alikes typed by mistake can be
read back unambiguously: O → 0, I and L → 1. 12 characters carry 60 bits of randomness and are
printed in three groups of four.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = re.compile(r"[\s\-‐‑–—._/]+")


def generate() -> str:
    """A new code in its normal form (no hyphens)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """What the tenant typed, as the code it most likely is: upper-case, no separators."""
    return _IGNORED.sub("", typed or "").upper().translate(_LOOKALIKES)


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def display(code: str) -> str:
    """7KQ2M9XD4TRF → 7KQ2-M9XD-4TRF"""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """Keyed hash of the normalised code; the only form of a code that is ever stored."""
    key = settings.REGISTRATION_CODE_KEY.encode()
    return hmac.new(key, normalize(code).encode(), hashlib.sha256).hexdigest()
