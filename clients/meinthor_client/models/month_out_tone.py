from enum import StrEnum


class MonthOutTone(StrEnum):
    BETTER = "better"
    NEUTRAL = "neutral"
    WORSE = "worse"

    def __str__(self) -> str:
        return str(self.value)
