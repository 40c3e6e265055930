"""Django's Redis cache with one client per connection pool (core/redis_cache.py)."""

from core.redis_cache import RedisCache


def test_every_call_shares_one_client_over_the_connection_pool():
    # Making a client connects to nothing: no Redis is needed here (tests/test_settings.py
    # stores and reads through one).
    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert client.connection_pool is backend._cache._get_connection_pool(write=False)


def test_each_server_has_its_own_client():
    backend = RedisCache("redis://127.0.0.1:6379/14,redis://127.0.0.1:6379/15", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()  # the only replica
    assert writer is not reader
    assert (
        writer.connection_pool.connection_kwargs["db"],
        reader.connection_pool.connection_kwargs["db"],
    ) == (14, 15)
