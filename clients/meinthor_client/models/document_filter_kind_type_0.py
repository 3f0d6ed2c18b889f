from enum import StrEnum


class DocumentFilterKindType0(StrEnum):
    BESCHEINIGUNG = "bescheinigung"
    BETRIEBSKOSTENABRECHNUNG = "betriebskostenabrechnung"
    HEIZKOSTENABRECHNUNG = "heizkostenabrechnung"
    MIETVERTRAG = "mietvertrag"
    SCHREIBEN = "schreiben"
    SONSTIGES = "sonstiges"

    def __str__(self) -> str:
        return str(self.value)
