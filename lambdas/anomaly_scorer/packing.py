"""Pack CSV rows into as few InvokeEndpoint payloads as the size limit allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pack:
    """One request body and the positions (in the batch) of the rows it carries."""

    body: bytes
    positions: tuple[int, ...]


def pack(rows: Sequence[tuple[int, bytes]], limit: int) -> tuple[list[Pack], list[int]]:
    """Greedy, order-keeping packing; also the positions of rows too large to send at all."""
    packs: list[Pack] = []
    oversized: list[int] = []
    body: list[bytes] = []
    positions: list[int] = []
    size = 0
    for position, row in rows:
        if len(row) > limit:
            oversized.append(position)
            continue
        if size + len(row) > limit:
            packs.append(Pack(b"".join(body), tuple(positions)))
            body, positions, size = [], [], 0
        body.append(row)
        positions.append(position)
        size += len(row)
    if body:
        packs.append(Pack(b"".join(body), tuple(positions)))
    return packs, oversized


def halves(p: Pack) -> tuple[Pack, Pack]:
    """Split a pack in two, to find the rows an endpoint rejects."""
    rows = p.body.splitlines(keepends=True)
    middle = len(rows) // 2
    return (
        Pack(b"".join(rows[:middle]), p.positions[:middle]),
        Pack(b"".join(rows[middle:]), p.positions[middle:]),
    )
