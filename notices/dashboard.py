"""The start-page card "Notices": current notices for the tenant's buildings, urgent first."""

from .selectors import notice_list, notices_url

SHOWN = 3


def notices_card(request, tenant) -> dict | None:
    """Hidden when nothing is posted; two queries."""
    if notices_url("index") is None:  # the pages are not routed (yet)
        return None
    notices = notice_list(tenant=tenant, limit=SHOWN + 1)
    if not notices:
        return None
    return {"notices": notices[:SHOWN], "more": len(notices) > SHOWN}
