"""Django's Redis cache, keeping one client for each of its connection pools.

Django's client makes a new redis.Redis for every call, and redis-py builds a table of
about 170 reply handlers in each (redis-py issue 3624): about 0.14 ms a call, more than
the round trip to Redis. A signed-in page makes several calls (its session, the ladder,
whether the visitor coaches). A client over a connection pool is safe to share between
threads, and the pool reconnects after a fork.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if not hasattr(pool, "shared_client"):
            pool.shared_client = self._client(connection_pool=pool)
        return pool.shared_client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
