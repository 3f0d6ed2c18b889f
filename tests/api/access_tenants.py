from .kit import Call, Route


def _me(world) -> Call:
    return Call("me", scoped=False, secrets=[world.owner.last_name, world.owner.tenant_number])


def _me_update(world) -> Call:
    return Call("me", json={"phone": "040 7777777"}, scoped=False, secrets=[world.owner.last_name])


ROUTES = [
    Route("GET", "/api/v1/me", _me, queries=2),
    Route("PATCH", "/api/v1/me", _me_update, queries=8),
]
