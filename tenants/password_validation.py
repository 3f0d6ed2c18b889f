"""The company's password rules (DOMAIN.md): character classes and no last name inside."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import fold_name


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
    """The user's last name must not appear in the password, however it is written."""

    def validate(self, password, user=None):
        if user is None:
            return
        names = {getattr(user, "last_name", "")}
        tenant = getattr(user, "tenant", None) if getattr(user, "pk", None) else None
        if tenant is not None:
            names.add(tenant.last_name)
        folded_password = {
            fold_name(password).replace(" ", ""),
            fold_name(password, umlaut_as_e=True).replace(" ", ""),
        }
        for name in filter(None, names):
            # Every part of a double name counts ("Müller-Lüdenscheidt" → müller, lüdenscheidt).
            for umlaut_as_e in (False, True):
                for part in fold_name(name, umlaut_as_e=umlaut_as_e).split():
                    if len(part) >= 3 and any(part in p for p in folded_password):
                        raise ValidationError(
                            _("The password must not contain your last name."),
                            code="password_contains_last_name",
                        )

    def get_help_text(self):
        return _("Your last name must not be part of the password.")
