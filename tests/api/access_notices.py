"""Access rows of "Aushänge": a notice of a property the tenant does not live in is a 404."""

from notices.models import NoticePreference, NoticeRead
from tests.notices.factories import NoticeFactory

from .kit import Call, Route


def _notice(world):
    unit = world.owner_contract.unit
    return NoticeFactory(property=unit.property, title="Aufzug Haus Eigentlich", urgent=True)


def _more_notices(world):
    """More notices of the owner's property, some of them read, and notices for all."""
    prop = world.owner_contract.unit.property
    for index in range(6):
        notice = NoticeFactory(property=prop if index % 2 else None)
        if index % 3 == 0:
            NoticeRead.objects.create(notice=notice, user=world.owner.user)


def _more_for_detail(world):
    _more_notices(world)
    # The opened notice unread again, so the second call does the same work as the first.
    NoticeRead.objects.filter(
        user=world.owner.user, notice__title="Aufzug Haus Eigentlich"
    ).delete()


def _list(world) -> Call:
    _notice(world)
    return Call("notices", scoped=False, secrets=["Aufzug Haus Eigentlich"])


def _detail(world) -> Call:
    notice = _notice(world)
    return Call(f"notices/{notice.pk}", secrets=["Aufzug Haus Eigentlich"])


def _preference(world) -> Call:
    NoticePreference.objects.create(user=world.owner.user, notices_by_email=True)
    return Call("notices/preference", scoped=False)


def _preference_set(world) -> Call:
    return Call("notices/preference", json={"notices_by_email": True}, scoped=False)


ROUTES = [
    Route("GET", "/api/v1/notices", _list, queries=3, more=_more_notices),
    Route("GET", "/api/v1/notices/{notice_id}", _detail, queries=7, more=_more_for_detail),
    Route("GET", "/api/v1/notices/preference", _preference, queries=2),
    Route("PUT", "/api/v1/notices/preference", _preference_set, queries=10),
]
