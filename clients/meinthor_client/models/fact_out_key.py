from enum import StrEnum


class FactOutKey(StrEnum):
    AVERAGE_HOUSEHOLD = "average_household"
    PREVIOUS_MONTH = "previous_month"
    PREVIOUS_YEAR = "previous_year"

    def __str__(self) -> str:
        return str(self.value)
