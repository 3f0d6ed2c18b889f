from enum import StrEnum


class NoticeItemKind(StrEnum):
    CONSTRUCTION = "construction"
    GENERAL = "general"
    MAINTENANCE = "maintenance"
    OUTAGE = "outage"

    def __str__(self) -> str:
        return str(self.value)
