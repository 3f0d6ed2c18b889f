import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError)


class ResilientRedisCache(RedisCache):
    """RedisCache that answers like an empty cache while Redis is unreachable.

    Sign-in, password reset and registration keep working when Redis stops; rate limits are
    then not enforced (logged as a warning), which is better than refusing every tenant.
    """

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
