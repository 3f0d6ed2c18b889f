from enum import StrEnum


class KindOutUnit(StrEnum):
    KWH = "kWh"
    M = "m³"

    def __str__(self) -> str:
        return str(self.value)
