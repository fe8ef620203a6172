"""A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending
the next request as soon as its response arrives. Raw asyncio streams, so the client
costs far less CPU per request than the servers it measures.

    python bench/load.py URL CONCURRENCY SECONDS BODY_FILE [CONTENT_TYPE [ACCEPT]]  ->  JSON

CONTENT_TYPE defaults to text/csv and ACCEPT to text/csv. The JSON has requests/s,
p50/p99 latency and the mean X-Batch-Rows the server answered (0 where it sends none).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


async def _connection(
    host: str, port: int, request: bytes, stop: float, latencies: list, errors: list, batch: list
) -> None:
    """One client; reconnects when the server closes (gunicorn's sync workers always do)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            writer.write(request)
            head = (await reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head.split(b" ", 2)[1])
            headers = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            await reader.readexactly(int(headers[b"content-length"]))
            if status != 200:
                errors.append(status)
            batch.append(int(headers.get(b"x-batch-rows", b"0")))
            if headers.get(b"connection", b"").strip() == b"close":
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            latencies.append(time.perf_counter() - start)
    finally:
        writer.close()


async def run(
    url: str,
    concurrency: int,
    seconds: float,
    body: bytes,
    content_type: str = "text/csv",
    accept: str = "text/csv",
) -> dict:
    parts = urlsplit(url)
    request = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: {content_type}\r\n"
        f"Accept: {accept}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies: list[float] = []
    errors: list[int] = []
    batch: list[int] = []
    stop = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(parts.hostname, parts.port, request, stop, latencies, errors, batch)
            for _ in range(concurrency)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": quantile(0.50),
        "p99_ms": quantile(0.99),
        "batch_rows": sum(batch) / max(1, len(batch)),
    }


if __name__ == "__main__":
    url, concurrency, seconds, body_file, *media = sys.argv[1:]
    with open(body_file, "rb") as source:
        body = source.read()
    print(json.dumps(asyncio.run(run(url, int(concurrency), float(seconds), body, *media))))
