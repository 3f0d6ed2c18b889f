"""The one way services report a refusal: an error that carries what the user is told.

Views and the admin catch `PortalError` and show `error.message`; they never map codes to texts
themselves. `code` is for tests and logs. An error raised without a message still has the
generic one, so a new kind of refusal shows words, never a raw code or a 500.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GENERIC_MESSAGE = _("This could not be done. Please try again or contact us.")


class PortalError(Exception):
    code: str = "error"
    default_message: str | Promise = GENERIC_MESSAGE

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        """`message` is a (lazy) translated text; `params` are filled in when it is shown."""
        self._message = message if message is not None else self.default_message
        self.params = params or {}
        if code is not None:
            self.code = code
        # args[0] is the text, never the code: whatever prints the exception shows words.
        super().__init__(self._message)

    @property
    def message(self) -> str:
        """The text in the language active where it is shown."""
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r})"
