from enum import StrEnum


class NoticeDetailKind(StrEnum):
    CONSTRUCTION = "construction"
    GENERAL = "general"
    MAINTENANCE = "maintenance"
    OUTAGE = "outage"

    def __str__(self) -> str:
        return str(self.value)
