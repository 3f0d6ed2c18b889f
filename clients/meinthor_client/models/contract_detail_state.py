from enum import StrEnum


class ContractDetailState(StrEnum):
    CURRENT = "current"
    ENDED = "ended"
    UPCOMING = "upcoming"

    def __str__(self) -> str:
        return str(self.value)
