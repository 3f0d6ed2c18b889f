from enum import StrEnum


class NoticeDetailScope(StrEnum):
    ALL = "all"
    BUILDING = "building"
    PROPERTY = "property"

    def __str__(self) -> str:
        return str(self.value)
