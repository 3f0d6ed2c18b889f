from .selectors import consumption_overview


def consumption_card(request, tenant) -> dict | None:
    """The newest heating figure on the start page; hidden for tenants without remote meters."""
    for entry in consumption_overview(tenant=tenant):
        series = entry.kinds.get("heating") or next(iter(entry.kinds.values()), None)
        if series is not None and series.month is not None:
            return {"series": series, "unit": entry}
    return None
