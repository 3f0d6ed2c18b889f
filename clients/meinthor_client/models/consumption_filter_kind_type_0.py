from enum import StrEnum


class ConsumptionFilterKindType0(StrEnum):
    COLD_WATER = "cold_water"
    HEATING = "heating"
    HOT_WATER = "hot_water"

    def __str__(self) -> str:
        return str(self.value)
