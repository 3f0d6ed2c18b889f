"""The company's password rules (DOMAIN.md): character classes, no common password, no name.

Guessers try the popular passwords first, with digits and symbols added at the end
("Passwort123!") and letters swapped for look-alike digits ("0rtmann"), so the checks below
undo both before comparing.
"""

import gzip
import re
from functools import cache
from pathlib import Path

from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .text import fold_name

GERMAN_PASSWORD_LIST = Path(__file__).resolve().parent / "data" / "common-passwords-de.txt.gz"

_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def _unleet(text: str) -> set[str]:
    """The spellings a look-alike password stands for; "1" may be an i or an l."""
    base = text.translate(_LEET)
    return {base.replace("1", "i"), base.replace("1", "l")}


def _umlauts_spelt_out(word: str) -> str:
    return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


@cache
def _common_passwords() -> frozenset[str]:
    words = set(CommonPasswordValidator().passwords)  # Django's English list
    with gzip.open(GERMAN_PASSWORD_LIST, "rt", encoding="utf-8") as german:
        for line in german:
            word = line.strip()
            words.update((word, _umlauts_spelt_out(word)))
    words.discard("")
    return frozenset(words)


class PlainUserAttributeSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's check, in words a tenant understands ("too similar to the e-mail address")."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            raise ValidationError(
                _("The password is too similar to your name or your e-mail address."),
                code="password_too_similar",
            ) from error

    def get_help_text(self):
        return _("Nothing that resembles your name or your e-mail address.")


class PlainMinimumLengthValidator(MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "The password is too short: it needs at least %(min_length)d character.",
                    "The password is too short: it needs at least %(min_length)d characters.",
                    self.min_length,
                )
                % {"min_length": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class PlainNumericPasswordValidator(NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError(
                _("The password must not consist of digits only."),
                code="password_entirely_numeric",
            )

    def get_help_text(self):
        return _("Not only digits.")


class CommonPasswordVariantValidator:
    """Refuse common German and English passwords, also with digits or symbols around them.

    "Passwort123!", "!Fußball-1904" and "P@ssw0rt2026" all come down to a listed word.
    """

    def validate(self, password, user=None):
        core = _EDGES.sub("", password.strip()).lower()
        candidates = {password.strip().lower(), core, _umlauts_spelt_out(core)}
        candidates |= {variant for word in list(candidates) for variant in _unleet(word)}
        if candidates & _common_passwords():
            raise ValidationError(
                _(
                    "This password is too common: it is a well-known password or word with "
                    "digits or symbols added, which is among the first things an attacker "
                    "tries. Please choose something less obvious, for example three unrelated "
                    "words with a digit and a symbol."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _(
            "Not a common password or word, not even with digits or symbols added (such as "
            "“Passwort123!”)."
        )


class CharacterClassValidator:
    """At least one upper-case letter, one lower-case letter, one digit, one special character."""

    def validate(self, password, user=None):
        errors = []
        if not any(c.isupper() for c in password):
            errors.append(
                ValidationError(
                    _("The password must contain at least one upper-case letter."),
                    code="password_no_upper",
                )
            )
        if not any(c.islower() for c in password):
            errors.append(
                ValidationError(
                    _("The password must contain at least one lower-case letter."),
                    code="password_no_lower",
                )
            )
        if not any(c.isdigit() for c in password):
            errors.append(
                ValidationError(
                    _("The password must contain at least one digit."), code="password_no_digit"
                )
            )
        if all(c.isalnum() for c in password):
            errors.append(
                ValidationError(
                    _("The password must contain at least one special character, e.g. ! ? - #."),
                    code="password_no_special",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "At least one upper-case letter, one lower-case letter, one digit and one special "
            "character."
        )


class LastNameValidator:
    """The user's names must not appear in the password, however they are written.

    The last name always counted; the first name and look-alike spellings ("0rtmann",
    "J@nn1k") count as well.
    """

    def validate(self, password, user=None):
        if user is None:
            return
        last_names = {getattr(user, "last_name", "")}
        first_names = {getattr(user, "first_name", "")}
        tenant = getattr(user, "tenant", None) if getattr(user, "pk", None) else None
        if tenant is not None:
            last_names.add(tenant.last_name)
            first_names.add(tenant.first_name)
        # With the separators (a first name must stand as a word) and without (a last name
        # counts wherever it stands, also across a space).
        spaced = {fold_name(password), fold_name(password, umlaut_as_e=True)}
        spaced_look_alike = {variant for p in spaced for variant in _unleet(p)} - spaced
        plain = {p.replace(" ", "") for p in spaced}
        look_alike = {variant for p in plain for variant in _unleet(p)} - plain
        for names, code in (
            (last_names, "password_contains_last_name"),
            (first_names, "password_contains_first_name"),
        ):
            parts = {
                part
                for name in filter(None, names)
                # Every part of a double name counts ("Müller-Lüdenscheidt" → müller, lüdenscheidt).
                for umlaut_as_e in (False, True)
                for part in fold_name(name, umlaut_as_e=umlaut_as_e).split()
                if len(part) >= 3
            }
            # A first name counts only as a word of its own: "Anne" is no reason to refuse
            # "Leiter-Kanne-7319!". A last name counts wherever it stands (as it always did).
            if code == "password_contains_first_name":
                contains, texts, look_texts = _contains_word, spaced, spaced_look_alike
            else:
                contains, texts, look_texts = _contains, plain, look_alike
            if any(contains(part, p) for part in parts for p in texts):
                raise ValidationError(_name_message(code, look_alike=False), code=code)
            if any(contains(part, p) for part in parts for p in look_texts):
                raise ValidationError(_name_message(code, look_alike=True), code=code)

    def get_help_text(self):
        return _(
            "Your first and last name must not be part of the password, not even with digits or "
            "symbols in place of letters (such as 0 for o)."
        )


def _contains(part: str, text: str) -> bool:
    return part in text


def _contains_word(part: str, text: str) -> bool:
    return re.search(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", text) is not None


def _name_message(code: str, *, look_alike: bool) -> str:
    if code == "password_contains_last_name" and not look_alike:
        return _("The password must not contain your last name.")
    if code == "password_contains_last_name":
        return _(
            "The password must not contain your last name, not even with digits or symbols in "
            "place of letters (such as 0 for o, 1 for i or @ for a)."
        )
    return _(
        "The password must not contain your first name, not even with digits or symbols in "
        "place of letters (such as 0 for o, 1 for i or @ for a)."
    )
