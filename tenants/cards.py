"""The start page's cards, rendered once and kept per tenant in the cache.

A card's HTML (and its quick actions) is stored under a key made of the tenant, the user, the
card, the language, the day (Europe/Berlin: contract phases and notice periods change at
midnight) and a build token (the card templates and the static files' manifest), with a *stamp*
of the versions of the areas the card shows; an entry whose stamp is not the current one is
rendered again. Versions and entries are read in one round trip. A service that changes what a
card shows calls

    card_cache_bump([tenant.pk], "documents")    # these tenants' document cards
    card_cache_bump(None, "notices")             # every tenant's notice card

which gives the area a new version token, right away and again after the commit (so that a
request that read the old data during the transaction cannot keep it under the new version).
Nothing is deleted: an old entry is replaced when next rendered and expires after
`PORTAL_CARD_CACHE_SECONDS` (15 minutes), which is also the longest a change made past the
services (e.g. a contact person edited in the admin) stays unseen.

A card depends on its own key as area and on "tenancy" (the contracts that say which units and
buildings are the tenant's); `CARD_AREAS` adds more.

Versions are random tokens, not counters: a version that the cache has lost is replaced by a new
token, so an entry stamped with an older one can never be mistaken for the current one (nor can
one rendered from data read before a change, by a request that stored it after the bump).
With the cache unavailable (tenants.cache.ResilientRedisCache answers like an empty cache) every
start page renders its cards afresh, as before.

`cached_page_part` keeps the read-only content of other tenant pages (Verträge, Vertrag,
Verbräuche, Dokumente, Kontakt, Neuigkeiten) the same way, under the same area versions; the
page around it (navigation, messages, forms with a CSRF token) is rendered for every request.
A part with forms (Profil) is kept with a placeholder where its CSRF tokens go, filled in with
the request's own token each time (`csrf=True`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .registry import DashboardCard, dashboard_cards

ALL = "*"
TENANCY = "tenancy"
# Areas a card shows besides its own key and the tenancy.
CARD_AREAS: dict[str, tuple[str, ...]] = {
    "contacts": ("contracts",),
}
_HIDDEN = "-"  # the card's context was None: hidden, and cached as hidden


# A lost version only costs a fresh rendering (a new token), so versions need not live forever.
VERSION_SECONDS = 24 * 60 * 60


def card_cache_seconds() -> int:
    return getattr(settings, "PORTAL_CARD_CACHE_SECONDS", 15 * 60)


def _version_key(tenant_id: int | str, area: str) -> str:
    return f"card:v:{tenant_id}:{area}"


def card_cache_bump(tenant_ids: Iterable[int] | None, *areas: str) -> None:
    """New versions for the areas' cards of these tenants (None: of every tenant).

    Call it in the service that changes the data, inside or outside its transaction.
    """
    keys = (
        [_version_key(ALL, area) for area in areas]
        if tenant_ids is None
        else [_version_key(pk, area) for pk in set(tenant_ids) for area in areas]
    )
    if not keys:
        return

    def bump() -> None:
        token = uuid.uuid4().hex[:12]
        cache.set_many(dict.fromkeys(keys, token), timeout=VERSION_SECONDS)

    bump()
    transaction.on_commit(bump)


def card_cache_bump_on_change(model, *areas: str) -> None:
    """Every save and delete of `model` (the admin's included) renews `areas` for everyone.

    For content clerks edit in the admin and every visitor sees the same (the FAQ, the forms).
    """

    def bump(sender, **kwargs) -> None:
        card_cache_bump(None, *areas)

    uid = f"card-cache-{model._meta.label}"
    post_save.connect(bump, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(bump, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def _areas(card: DashboardCard) -> tuple[str, ...]:
    return (card.key, TENANCY, *CARD_AREAS.get(card.key, ()))


@functools.cache
def _build() -> str:
    """Changes with a deploy: the card templates' source and the static files' manifest."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    digest = hashlib.sha256(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    for card in dashboard_cards():
        template = get_template(card.template)
        digest.update(
            getattr(getattr(template, "template", None), "source", card.template).encode()
        )
    return digest.hexdigest()[:8]


def _version_keys(tenant_id: int, areas: Iterable[str]) -> list[str]:
    return [_version_key(owner, area) for area in areas for owner in (tenant_id, ALL)]


def _version_tokens(keys: list[str], found: dict[str, Any]) -> dict[str, str]:
    """The current version of each key: `found` (read with the entries), new tokens for the rest."""
    versions = {key: found[key] for key in keys if key in found}
    for key in keys:
        if key not in versions:
            token = uuid.uuid4().hex[:12]
            # add, not set: a token another worker stored meanwhile wins.
            if not cache.add(key, token, timeout=VERSION_SECONDS):
                token = cache.get(key, token)
            versions[key] = token
    return versions


def _stamp(versions: dict[str, str], keys: Iterable[str], *extra: Any) -> str:
    """What an entry was rendered from: its areas' versions and the extra values."""
    parts = [versions[key] for key in keys]
    parts.extend(repr(value) for value in extra)
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _card_key(request, tenant, card: DashboardCard, day: str) -> str:
    user_id = getattr(request.user, "pk", None)
    return f"card:{tenant.pk}:{user_id}:{card.key}:{get_language()}:{day}:{_build()}"


def _render(request, tenant, card: DashboardCard) -> tuple[str, list[dict[str, Any]]]:
    from .context_processors import branding

    context = card.context(request, tenant)
    if context is None:
        return _HIDDEN, []
    # Rendered on its own, without the context processors: a card uses only its context and the
    # portal's branding (e.g. the support address when no contact person is known).
    html = get_template(card.template).render({"card": context, "portal": branding()})
    return html, list(context.get("actions", ()))


def start_page_cards(request, tenant) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The shown cards `[{"key", "html"}]` and the quick actions, sorted, from the cache."""
    cards = dashboard_cards()
    day = timezone.localdate().isoformat()
    keys = {card.key: _card_key(request, tenant, card, day) for card in cards}
    card_versions = {card.key: _version_keys(tenant.pk, _areas(card)) for card in cards}
    version_keys = list(dict.fromkeys(key for keys_ in card_versions.values() for key in keys_))
    found = cache.get_many([*version_keys, *keys.values()])  # one round trip
    versions = _version_tokens(version_keys, found)
    fresh = {}
    shown, actions = [], []
    for card in cards:
        stamp = _stamp(versions, card_versions[card.key])
        entry = found.get(keys[card.key])
        if entry is None or entry[0] != stamp:
            entry = (stamp, *_render(request, tenant, card))
            fresh[keys[card.key]] = entry
        _, html, card_actions = entry
        if html != _HIDDEN:
            shown.append({"key": card.key, "html": mark_safe(html)})  # noqa: S308 - our template
            actions.extend(card_actions)
    if fresh:
        cache.set_many(fresh, timeout=card_cache_seconds())
    actions.sort(key=lambda action: action["order"])
    return shown, actions


# Page parts: the read-only content of a tenant page, kept like a card.

_PART_TEMPLATES: dict[str, str] = {}
# Stands in for the CSRF token in a kept part (csrf=True). Only letters and digits, so escaping
# leaves it as it is; should a tenant's own data ever hold it, only their own token shows there.
CSRF_PLACEHOLDER = "csrfPlaceholder7d1c9e04b6a3f582"
_INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def _part_build(template_name: str) -> str:
    """The build token plus the source of the part's template and of the templates it includes:
    a deploy that changes any of them asks for new entries.
    """
    token = _PART_TEMPLATES.get(template_name)
    if token is None:
        digest = hashlib.sha1(usedforsecurity=False)
        names, seen = [template_name], set()
        while names:
            name = names.pop()
            if name in seen:
                continue
            seen.add(name)
            template = get_template(name)
            source = getattr(getattr(template, "template", None), "source", name)
            digest.update(source.encode())
            names.extend(_INCLUDE.findall(source))
        token = _PART_TEMPLATES[template_name] = f"{_build()}{digest.hexdigest()[:8]}"
    return token


def cached_page_part(
    request,
    tenant,
    *,
    name: str,
    template: str,
    areas: Iterable[str],
    vary: Iterable[Any] = (),
    version: Any = None,
    csrf: bool = False,
    context: Callable[[], dict[str, Any]],
) -> str:
    """The HTML of `template` rendered with `context()`, from the cache like a start-page card.

    The key holds the tenant, the user, `name`, the language, the day, the build token with the
    template's source and the `vary` values (e.g. the page's GET parameters); the entry's stamp
    the versions of `areas` (the tenant's and everyone's, see `card_cache_bump`) and `version`,
    a cheap value for data changed without a bump. `context()` runs only on a miss, rendered like a
    card: without the context processors, with the portal's branding as `portal`. Decide 404 and
    403 before: the part is only asked for what the tenant may see. Never for anything of the
    device or session (messages stay in the page around it). `csrf=True` for a part with forms:
    their `{% csrf_token %}` is kept as a placeholder and filled with this request's token.

    `tenant` None: the part is the same for every visitor (Hilfe, Formulare) and kept once per
    language, under the areas' versions for everyone (`card_cache_bump(None, area)`).
    """
    from .context_processors import branding

    areas = dict.fromkeys(areas)
    if tenant is None:
        owner, user_id = ALL, None
        version_keys = [_version_key(ALL, area) for area in areas]
    else:
        owner, user_id = tenant.pk, getattr(request.user, "pk", None)
        version_keys = _version_keys(tenant.pk, areas)
    varied = hashlib.sha1(repr(tuple(vary)).encode(), usedforsecurity=False).hexdigest()[:16]
    day = timezone.localdate().isoformat()
    key = f"page:{owner}:{user_id}:{name}:{get_language()}:{day}:{_part_build(template)}:{varied}"
    found = cache.get_many([*version_keys, key])  # one round trip
    stamp = _stamp(_version_tokens(version_keys, found), version_keys, version)
    entry = found.get(key)
    if entry is not None and entry[0] == stamp:
        html = entry[1]
    else:
        values = {**context(), "portal": branding()}
        if csrf:
            values["csrf_token"] = CSRF_PLACEHOLDER
        html = get_template(template).render(values)
        cache.set(key, (stamp, html), timeout=card_cache_seconds())
    if csrf:
        from django.middleware.csrf import get_token

        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - our template, escaped when rendered
