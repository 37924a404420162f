"""Generation counters: a number in a cache that goes up to invalidate everything keyed by it
(the model's inputs, kept pages, kept permissions)."""


def current(cache, key: str) -> int:
    return cache.get_or_set(key, 1, None)


def bump(cache, key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet, or evicted
        cache.set(key, 2, None)
