"""Authentication backends that load the signed-in account's tenant record with the account.

Every tenant page needs both. Django's backends load the account alone (one query), and
`tenants.selectors.tenant_for_user` then asked for the tenant (a second). These load both in one
query, a LEFT JOIN: clerks and unlinked accounts simply have no tenant. They are Django's and
allauth's backends otherwise; sessions begun under those (stored with their paths) are moved to
these on their next request by `session_backend_upgrade`.

Every request runs that query, and composing its SQL was the largest single cost of a cached
tenant page; it is composed once per process (tenants.prepared).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .prepared import PreparedQuery

_ACCOUNT = PreparedQuery(
    lambda user_id: get_user_model()._default_manager.select_related("tenant").filter(pk=user_id),
    int,
)


def user_with_tenant(user_id):
    """The account of `user_id` with its tenant record loaded, in one query; None if unknown.

    Whether the account may sign in (`is_active`) is the backends' question, not this one's.
    """
    found = _ACCOUNT.rows(user_id)
    return found[0] if found else None


def _user_with_tenant(backend, user_id):
    user = user_with_tenant(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        return _user_with_tenant(self, user_id)


class AuthenticationBackend(AllauthAuthenticationBackend):
    """allauth's sign-in by e-mail address; the account comes with its tenant."""

    def get_user(self, user_id):
        return _user_with_tenant(self, user_id)


# The backends sessions stored before these existed, and their successors.
_UPGRADES = {
    "django.contrib.auth.backends.ModelBackend": f"{__name__}.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": f"{__name__}.AuthenticationBackend",
}


def session_backend_upgrade(session) -> None:
    """A session signed in under Django's or allauth's own backend stays signed in under ours."""
    successor = _UPGRADES.get(session.get(BACKEND_SESSION_KEY))
    if successor is not None:
        session[BACKEND_SESSION_KEY] = successor
