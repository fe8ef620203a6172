"""Request bodies to feature matrices, predictions to response bodies."""

from __future__ import annotations

import io
import json
import warnings

import numpy as np

CSV, JSON, NPY = "text/csv", "application/json", "application/x-npy"


class PayloadError(ValueError):
    """The client sent something we cannot read (4XX, with this message)."""

    status = 400


class UnsupportedMediaType(PayloadError):
    status = 415


class NotAcceptable(PayloadError):
    status = 406


def _media(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _matrix(rows: object) -> np.ndarray:
    try:
        matrix = np.asarray(rows, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise PayloadError(f"not a numeric matrix: {error}") from error
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise PayloadError(f"expected rows of features, got shape {list(matrix.shape)}")
    return matrix


def _csv(body: bytes) -> np.ndarray:
    # NumPy's C parser reads the numbers; counting fields catches ragged or bad rows.
    try:
        text = body.decode("utf-8").strip().replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise PayloadError(f"bad CSV: {error}") from error
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise PayloadError("bad CSV: no rows")
    width = lines[0].count(",") + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # NumPy's "could not read to its end"
        try:
            values = np.fromstring(",".join(lines), dtype=np.float32, sep=",")
        except (DeprecationWarning, ValueError):
            values = None
    if values is None or values.size != width * len(lines):
        raise PayloadError(
            f"bad CSV: expected {len(lines)} rows of {width} numbers (no header, no blanks)"
        )
    return _matrix(values.reshape(len(lines), width))


def decode(body: bytes, content_type: str | None) -> np.ndarray:
    """A 2D float32 matrix from text/csv, application/json or application/x-npy."""
    media = _media(content_type)
    if media == CSV:
        return _csv(body)
    if media == JSON:
        try:
            document = json.loads(body)
        except ValueError as error:
            raise PayloadError(f"bad JSON: {error}") from error
        if isinstance(document, dict):
            document = document.get("instances", document.get("inputs"))
        if document is None:
            raise PayloadError('JSON needs a list of rows or {"instances": [...]}')
        return _matrix(document)
    if media == NPY:
        try:
            return _matrix(np.load(io.BytesIO(body), allow_pickle=False))
        except (ValueError, OSError) as error:
            raise PayloadError(f"bad .npy: {error}") from error
    raise UnsupportedMediaType(
        f"unsupported Content-Type {content_type!r} (use {CSV}, {JSON}, {NPY})"
    )


def encode(predictions: np.ndarray, accept: str | None) -> tuple[bytes, str]:
    """JSON (`{"predictions": …}`, the default) or CSV, as `Accept` asks."""
    media = _media(accept)
    if media in ("", "*/*", JSON):
        return json.dumps({"predictions": predictions.tolist()}).encode(), JSON
    if media == CSV:
        rows = predictions.reshape(len(predictions), -1).tolist()
        text = "\n".join(",".join(map(str, row)) for row in rows) + "\n"
        return text.encode(), CSV
    raise NotAcceptable(f"cannot answer in {accept!r} (use {JSON} or {CSV})")
