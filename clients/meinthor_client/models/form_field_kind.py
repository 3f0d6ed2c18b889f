from enum import StrEnum


class FormFieldKind(StrEnum):
    CHOICE = "choice"
    DATE = "date"
    FILES = "files"
    INTEGER = "integer"
    TEXT = "text"
    TEXTAREA = "textarea"

    def __str__(self) -> str:
        return str(self.value)
