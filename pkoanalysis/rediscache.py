"""Django's Redis cache, with one redis-py client per connection pool instead of one per call,
and (ResilientRedisCache) pages that survive a Redis outage.

Django's RedisCacheClient builds a new redis.Redis object for every cache operation, and building
one fills its table of ~170 response callbacks: about 0.4 ms each time, several times a page. A
redis.Redis object only holds its pool and that table, and redis-py documents it as safe to share
between threads, so it is kept per pool.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


class ResilientRedisCache(SharedClientRedisCache):
    """The cache is an optimisation, never a single point of failure (issue 25 F3).

    Every operation that fails on Redis (refused, timed out, reset) is logged and answered as a
    miss: `get` returns the default, writes return False, `incr` raises ValueError (as for a
    missing key), so pages, saves, exports and the API work from the database alone. After a
    failure this process leaves Redis alone for `RETRY_SECONDS`, so a paused Redis costs one
    timeout per process every few seconds rather than one per call. The timeouts are short
    (settings.CACHES OPTIONS: socket_connect_timeout, socket_timeout).

    A write that failed may have left an older value behind (a generation not bumped, a key not
    deleted): when Redis answers again, this process deletes those keys and replays its missed
    increments, so kept pages do not come back stale after the outage.
    """

    RETRY_SECONDS = 5.0
    MISSED_MAX = 1000

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        self.RETRY_SECONDS = float(params["OPTIONS"].pop("retry_seconds", self.RETRY_SECONDS))
        super().__init__(server, params)
        import redis

        self._errors = (redis.RedisError, OSError)
        self._down_until = 0.0
        self._healthy = True
        self._missed: dict[str, str] = {}  # full key -> "delete" | "incr"
        self._lock = threading.Lock()

    # --- the guard ------------------------------------------------------------------------

    def _guarded(self, operation: str, fallback, call, *, keys=(), missed: str | None = None):
        if time.monotonic() < self._down_until:
            self._remember(keys, missed)
            return fallback()
        try:
            if self._missed:
                self._replay()  # before answering, so the first answer after an outage is fresh too
            answer = call()
        except self._errors as exc:
            self._failed(operation, exc)
            self._remember(keys, missed)
            return fallback()
        if not self._healthy:
            self._recovered()
        return answer

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first, self._healthy = self._healthy, False
            self._down_until = time.monotonic() + self.RETRY_SECONDS
        if first:
            logger.warning("cache unavailable (%s: %s); pages are served without it, Redis is tried "
                           "again every %.0f s", operation, exc, self.RETRY_SECONDS)

    def _recovered(self) -> None:
        self._healthy = True
        logger.warning("cache available again")

    def _remember(self, keys, missed: str | None) -> None:
        if missed is None:
            return
        with self._lock:
            for key in keys:
                if len(self._missed) >= self.MISSED_MAX:
                    logger.warning("cache: more than %s writes missed during the outage; some kept values "
                                   "may be stale until they expire", self.MISSED_MAX)
                    return
                if self._missed.get(key) != "incr":
                    self._missed[key] = missed

    def _replay(self) -> None:
        with self._lock:
            missed, self._missed = self._missed, {}
        client = self._cache.get_client(write=True)
        try:
            for key, what in missed.items():
                if what == "incr" and client.exists(key):
                    client.incr(key)
                else:
                    client.delete(key)
        except self._errors:
            with self._lock:
                self._missed = {**missed, **self._missed}
            raise
        logger.warning("cache: %s keys written during the outage refreshed", len(missed))

    # --- Django's cache API ---------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._guarded("get", lambda: default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def get_many(self, keys, version=None):
        return self._guarded("get_many", dict, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._guarded("has_key", lambda: False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", lambda: False,
                             lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
                             keys=[self.make_and_validate_key(key, version=version)], missed="delete")

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", lambda: False,
                             lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
                             keys=[self.make_and_validate_key(key, version=version)], missed="delete")

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", lambda: False,
                             lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        return self._guarded("delete", lambda: False,
                             lambda: super(ResilientRedisCache, self).delete(key, version),
                             keys=[self.make_and_validate_key(key, version=version)], missed="delete")

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return self._guarded("incr", missing, lambda: super(ResilientRedisCache, self).incr(key, delta, version),
                             keys=[self.make_and_validate_key(key, version=version)], missed="incr")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", lambda: list(data),
                             lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                             keys=[self.make_and_validate_key(k, version=version) for k in data], missed="delete")

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._guarded("delete_many", lambda: None,
                             lambda: super(ResilientRedisCache, self).delete_many(keys, version),
                             keys=[self.make_and_validate_key(k, version=version) for k in keys], missed="delete")

    def clear(self):
        return self._guarded("clear", lambda: False, lambda: super(ResilientRedisCache, self).clear())

    def ping(self) -> bool:
        """For /healthz/: whether Redis answers now (ignores the pause after a failure)."""
        try:
            return bool(self._cache.get_client().ping())
        except self._errors as exc:
            self._failed("ping", exc)
            return False
