import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool instead of a new one per call.

    Building a `redis.Redis` copies its ~170 response callbacks: about a quarter of a
    millisecond for each cache call of a page (sessions, cards). The object is thread-safe and
    holds no connection itself; the pool hands those out (and renews them after a fork).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache that answers like an empty cache while Redis is unreachable.

    Sign-in, password reset and registration keep working when Redis stops; rate limits are
    then not enforced (logged as a warning), which is better than refusing every tenant.
    """

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _fallback(self, name, default, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _DOWN as exc:
            logger.warning("Cache unavailable (%s): %s", name, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._fallback("get", default, key, default, version)

    def set(self, key, value, timeout=..., version=None):
        kwargs = {"version": version}
        if timeout is not ...:
            kwargs["timeout"] = timeout
        return self._fallback("set", None, key, value, **kwargs)

    def add(self, key, value, timeout=..., version=None):
        kwargs = {"version": version}
        if timeout is not ...:
            kwargs["timeout"] = timeout
        return self._fallback("add", True, key, value, **kwargs)

    def incr(self, key, delta=1, version=None):
        return self._fallback("incr", delta, key, delta, version)

    def delete(self, key, version=None):
        return self._fallback("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._fallback("get_many", {}, keys, version)

    def set_many(self, data, timeout=..., version=None):
        kwargs = {"version": version}
        if timeout is not ...:
            kwargs["timeout"] = timeout
        return self._fallback("set_many", [], data, **kwargs)

    def has_key(self, key, version=None):
        return self._fallback("has_key", False, key, version)

    def touch(self, key, timeout=..., version=None):
        kwargs = {"version": version}
        if timeout is not ...:
            kwargs["timeout"] = timeout
        return self._fallback("touch", False, key, **kwargs)
