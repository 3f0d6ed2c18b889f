from enum import StrEnum


class BankChangeOutStatus(StrEnum):
    APPROVED = "approved"
    OPEN = "open"
    REJECTED = "rejected"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
