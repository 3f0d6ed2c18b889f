"""App API of this area (config/api.py adds the router)."""

from ninja import Router

router = Router(tags=["Registrierung / Registration"])
