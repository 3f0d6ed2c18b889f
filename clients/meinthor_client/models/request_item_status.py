from enum import StrEnum


class RequestItemStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    RECEIVED = "received"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
