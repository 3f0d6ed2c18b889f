"""Fixed-window counters in the Django cache (Redis in production and CI)."""

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, period: int) -> bool:
    """Count one attempt; False once more than `limit` attempts fell into this `period`."""
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count <= limit
