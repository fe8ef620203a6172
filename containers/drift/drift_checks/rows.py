"""Payload text -> float64 rows, in bounded chunks, with rejects counted by reason.

CSV rows are checked for their column count one string at a time (no split), then a
whole chunk is parsed by NumPy's C parser in one call (`np.fromstring(sep=",")`); only
a chunk that fails falls back to parsing row by row, to find and count the bad rows.
Nothing keeps a Python object per value beyond one chunk.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np

CHUNK_ROWS = 65_536

# Reasons (summary.json rows_rejected keys).
MALFORMED_JSON = "malformed_json"  # a capture line that is not JSON
MALFORMED_RECORD = "malformed_record"  # JSON, but no captureData.endpointInput.data
BAD_BASE64 = "bad_base64"  # BASE64 data that does not decode (or not to UTF-8 text)
UNSUPPORTED_CONTENT = "unsupported_content"  # not CSV or JSON rows (e.g. x-npy, protobuf)
WRONG_COLUMN_COUNT = "wrong_column_count"
NON_NUMERIC = "non_numeric"  # a field that is not a finite number (incl. empty, nan, inf)


def _parse_block(text: str, expected: int) -> np.ndarray | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(text, dtype=np.float64, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    return values if values.size == expected else None


def _parse_row(row: str, ncols: int) -> np.ndarray | None:
    try:
        values = np.array(row.split(","), dtype=np.float64)
    except ValueError:
        return None
    return values if values.size == ncols else None


class RowSink:
    """Collects rows of `ncols` numbers (ncols None: fixed by the first row seen)."""

    def __init__(self, ncols: int | None, rejects: Counter[str], on_block) -> None:
        self.ncols = ncols
        self.rejects = rejects
        self.on_block = on_block  # called with each finite (n, ncols) float64 block
        self.rows = 0
        self._csv: list[str] = []
        self._json: list[list] = []

    def csv_text(self, text: str) -> None:
        """A CSV payload: one row per line, blank lines skipped."""
        for line in text.splitlines():
            line = line.strip()
            if line:
                self._csv.append(line)
        if len(self._csv) >= CHUNK_ROWS:
            self.flush()

    def json_rows(self, rows: list) -> None:
        """Rows already decoded from JSON (lists of numbers), buffered to a chunk."""
        for row in rows:
            if not isinstance(row, list) or any(
                isinstance(v, bool) or not isinstance(v, (int, float)) for v in row
            ):
                self.rejects[NON_NUMERIC] += 1
                continue
            if self.ncols is None:
                self.ncols = len(row)
            if len(row) != self.ncols:
                self.rejects[WRONG_COLUMN_COUNT] += 1
                continue
            self._json.append(row)
        if len(self._json) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        """Parses and emits what is buffered (called per chunk and at the end)."""
        if self._json:
            good, self._json = self._json, []
            self._emit(np.asarray(good, dtype=np.float64).reshape(len(good), self.ncols))
        rows, self._csv = self._csv, []
        if not rows:
            return
        if self.ncols is None:
            self.ncols = rows[0].count(",") + 1
        commas = self.ncols - 1
        good = [r for r in rows if r.count(",") == commas]
        self.rejects[WRONG_COLUMN_COUNT] += len(rows) - len(good)
        if not good:
            return
        block = _parse_block(",".join(good), len(good) * self.ncols)
        if block is not None:
            block = block.reshape(len(good), self.ncols)
        else:
            parsed = [_parse_row(r, self.ncols) for r in good]
            ok = [p for p in parsed if p is not None]
            self.rejects[NON_NUMERIC] += len(parsed) - len(ok)
            if not ok:
                return
            block = np.vstack(ok)
        self._emit(block)

    def _emit(self, block: np.ndarray) -> None:
        finite = np.isfinite(block).all(axis=1)
        bad = int(block.shape[0] - finite.sum())
        if bad:
            self.rejects[NON_NUMERIC] += bad
            block = block[finite]
        if block.shape[0]:
            self.rows += block.shape[0]
            self.on_block(block)


class Reservoir:
    """A seeded uniform sample of at most `cap` rows of a stream of blocks: every row
    gets a random key and the `cap` smallest keys stay (memory: cap rows)."""

    def __init__(self, cap: int, seed: int) -> None:
        self.cap = cap
        self.rng = np.random.default_rng(seed)
        self.rows: np.ndarray | None = None
        self.keys = np.empty(0)

    def add(self, block: np.ndarray) -> None:
        keys = self.rng.random(block.shape[0])
        rows = block if self.rows is None else np.concatenate([self.rows, block])
        keys = np.concatenate([self.keys, keys])
        if keys.size > self.cap:
            keep = np.argpartition(keys, self.cap)[: self.cap]
            keep.sort()
            rows, keys = rows[keep], keys[keep]
        self.rows, self.keys = rows, keys

    def sample(self, ncols: int) -> np.ndarray:
        return np.empty((0, ncols)) if self.rows is None else self.rows
