"""Bounded decompression of uploaded files. Pure: no Django.

`gzip.decompress` inflates a whole file before anyone can look at its size, so 2 MB of zeros
become 2 GB in memory (a "gzip bomb", issue 25 F2). Here the stream is inflated in chunks and
refused as soon as its output passes the limit: the peak memory is about the limit, never the
bomb. Several gzip members one after the other (`cat a.gz b.gz`) are one file, as with gunzip.
"""

from __future__ import annotations

import zlib

CHUNK = 256 * 1024  # compressed bytes fed at a time; each call yields at most `room` bytes


class TooLargeError(Exception):
    """The content would decompress to more than the limit."""


def gunzip(raw: bytes, limit: int) -> bytes:
    """The decompressed content of gzip data `raw`, at most `limit` bytes long.

    Raises TooLargeError as soon as the output passes `limit`, and zlib.error or EOFError when `raw`
    is not gzip or is cut short (as gzip.decompress does)."""
    out = bytearray()
    data = memoryview(raw)
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip header and trailer
        pending = data
        while not inflater.eof:
            if not pending and not inflater.unconsumed_tail:
                raise EOFError("compressed file ended before the end-of-stream marker was reached")
            feed = inflater.unconsumed_tail or pending[:CHUNK]
            if not inflater.unconsumed_tail:
                pending = pending[CHUNK:]
            room = limit - len(out) + 1  # one byte over the limit is enough to know
            out += inflater.decompress(feed, room)
            if len(out) > limit:
                raise TooLargeError(f"more than {limit} bytes")
        rest = bytes(inflater.unused_data) + bytes(pending)
        data = memoryview(rest.lstrip(b"\x00"))  # gzip tolerates trailing zero padding
        if not data:
            return bytes(out)
