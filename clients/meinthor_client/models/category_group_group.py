from enum import StrEnum


class CategoryGroupGroup(StrEnum):
    ADDRESS = "address"
    DAMAGE = "damage"
    DOCUMENTS = "documents"
    GENERAL = "general"
    RENT = "rent"
    STATEMENTS = "statements"

    def __str__(self) -> str:
        return str(self.value)
