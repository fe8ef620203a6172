"""Request bodies to feature matrices, predictions to response bodies.

Every body the server cannot read raises a `PayloadError`: the client gets its status
(400, 406 or 415) and message, never a 500 and never a guess at what it meant.

The common case is read by fast libraries (fastnumbers' fast_float parser for CSV
fields, orjson for JSON); anything they refuse, or an unusual layout (blank lines
inside a CSV body), takes the checked path, which finds the precise message. So a
fast path never accepts what the checked path would refuse. See containers/README.md,
"Per-request cost".
"""

from __future__ import annotations

import io
import json
import math
import warnings

import fastnumbers
import numpy as np
import orjson

from model_server.media import (  # noqa: F401  (re-exported: the codecs' public names)
    CSV,
    JSON,
    NPY,
    OFFERED,
    NotAcceptable,
    PayloadError,
    UnsupportedMediaType,
    accept_ranges,
    negotiate,
    negotiated,
    shown,
)

# The .npy dtypes that are numbers: bool, signed and unsigned integers, floats.
NPY_KINDS = "biuf"
NPY_HEADER_LIMIT = 10_000  # bytes; NumPy's own default for untrusted files
_NUMPY = orjson.OPT_SERIALIZE_NUMPY


def _media(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _matrix(rows: object) -> np.ndarray:
    try:
        matrix = np.asarray(rows, dtype=np.float32)
    except (TypeError, ValueError, OverflowError) as error:
        raise PayloadError(f"not a numeric matrix: {error}") from error
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise PayloadError(f"expected rows of features, got shape {list(matrix.shape)}")
    return matrix


def _floats(text: str) -> np.ndarray | None:
    """NumPy's C parser over comma-separated numbers; None unless it read all of `text`."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # NumPy's "could not read to its end"
        try:
            return np.fromstring(text, dtype=np.float32, sep=",")
        except (DeprecationWarning, ValueError):
            return None


def _csv(body: bytes) -> np.ndarray:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PayloadError(f"bad CSV: {error}") from error
    fast = _csv_fast(body)
    return fast if fast is not None else _csv_checked(text)


def _csv_fast(body: bytes) -> np.ndarray | None:
    """Rows of one width with no blank line inside, every field a number: the matrix
    from one pass of fast_float over the fields; None sends the body to `_csv_checked`.

    fastnumbers reads the same number syntax as NumPy's parser on bytes (signs, `.5`,
    `1.`, exponents, nan, inf, whitespace around a field) and refuses an empty field."""
    lines = body.rstrip(b"\r\n").split(b"\n")
    commas = lines[0].count(b",")
    fields = b",".join(lines).split(b",")
    if len(fields) != (commas + 1) * len(lines):
        return None
    for line in lines:
        if line.count(b",") != commas:
            return None
    try:
        values = fastnumbers.try_array(fields, dtype=np.float32)
    except (ValueError, TypeError, OverflowError):
        return None
    return values.reshape(len(lines), commas + 1)


def _csv_checked(text: str) -> np.ndarray:
    """Blank lines skipped (but counted), CRLF endings, and the message for a bad body."""
    # (line number in the body, line): blank lines are skipped but still counted.
    lines = [
        (number, line.rstrip("\r"))
        for number, line in enumerate(text.split("\n"), 1)
        if line.strip()
    ]
    if not lines:
        raise PayloadError("bad CSV: no rows")
    first, header = lines[0]
    width = header.count(",") + 1
    for number, line in lines:
        columns = line.count(",") + 1
        if columns != width:
            raise PayloadError(
                f"bad CSV: line {number} has {columns} columns, expected {width}"
                f" like line {first} (every row needs the same number of columns)"
            )
    values = _floats(",".join(line for _, line in lines))
    if values is None or values.size != width * len(lines):
        # The slow path, for the message only: the first line that is not `width` numbers.
        for number, line in lines:
            row = _floats(line)
            if row is None or row.size != width:
                raise PayloadError(
                    f"bad CSV: line {number} is not {width} numbers: {shown(line)}"
                    " (no header, no empty fields)"
                )
        raise PayloadError(f"bad CSV: expected {len(lines)} rows of {width} numbers")
    return _matrix(values.reshape(len(lines), width))


def _json(body: bytes) -> np.ndarray:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        # orjson reads strict RFC 8259 UTF-8 only: what the standard library also
        # accepts (NaN, integers beyond 64 bits, UTF-16 bodies, lone surrogates), and
        # the messages for what neither does, come from the standard library as before.
        document = _json_checked(body)
    if isinstance(document, dict):
        document = document.get("instances", document.get("inputs"))
    if document is None:
        raise PayloadError('JSON needs a list of rows or {"instances": [...]}')
    return _matrix(document)


def _json_checked(body: bytes) -> object:
    try:
        return json.loads(body)
    except RecursionError as error:
        # The C decoder stops at the interpreter's recursion limit (about 1000 levels):
        # a matrix needs 3. Refused in time proportional to the depth reached.
        raise PayloadError("bad JSON: nested too deeply (a matrix needs 2 or 3 levels)") from error
    except ValueError as error:  # also UnicodeDecodeError
        raise PayloadError(f"bad JSON: {error}") from error


def _npy(body: bytes) -> np.ndarray:
    """An .npy body, checked against its header before any array is made."""
    stream = io.BytesIO(body)
    if not body:
        raise PayloadError("bad .npy: empty body")
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            header = np.lib.format.read_array_header_1_0(stream, NPY_HEADER_LIMIT)
        elif version == (2, 0):
            header = np.lib.format.read_array_header_2_0(stream, NPY_HEADER_LIMIT)
        else:  # 3.0 only adds UTF-8 field names, for structured dtypes we refuse anyway
            raise ValueError(f"format version {version[0]}.{version[1]} is not supported")
    except Exception as error:  # the header is the client's: any failure to read it is theirs
        raise PayloadError(f"bad .npy: {error}") from error
    shape, fortran_order, dtype = header
    if dtype.hasobject or dtype.kind not in NPY_KINDS or dtype.shape:
        raise PayloadError(f"bad .npy: dtype {dtype.str!r} is not numeric (use bool, int or float)")
    if any(dim < 0 for dim in shape):
        raise PayloadError(f"bad .npy: negative dimension in shape {list(shape)}")
    if len(shape) not in (1, 2):
        raise PayloadError(f"expected rows of features, got shape {list(shape)}")
    # Python integers: no overflow, however large the declared shape.
    declared, present = math.prod(shape) * dtype.itemsize, len(body) - stream.tell()
    if declared != present:
        raise PayloadError(
            f"bad .npy: the header declares shape {list(shape)} of {dtype.name}"
            f" ({declared} bytes) but the body has {present} bytes of data"
        )
    array = np.frombuffer(body, dtype=dtype, count=math.prod(shape), offset=stream.tell())
    return _matrix(array.reshape(shape, order="F" if fortran_order else "C"))


def decode(body: bytes, content_type: str | None) -> np.ndarray:
    """A 2D float32 matrix from text/csv, application/json or application/x-npy."""
    media = _media(content_type)
    if media == CSV:
        return _csv(body)
    if media == JSON:
        return _json(body)
    if media == NPY:
        return _npy(body)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {content_type!r} (use {CSV}, {JSON}, {NPY})"
    )


def encode(predictions: np.ndarray, accept: str | None) -> tuple[bytes, str]:
    """JSON (`{"predictions": …}`, the default) or CSV, as `Accept` asks (see negotiate)."""
    media = negotiated(accept or "")
    return serialize(predictions, media), media


def serialize(predictions: np.ndarray, media: str) -> bytes:
    """`predictions` as `media` (JSON or CSV), the same numbers as Python prints them.

    orjson writes finite float and integer arrays straight from the buffer; floats go
    as float64, so each value prints as `repr(float(value))` does (digits may be laid
    out differently: 0.00001 for 1e-05). NaN, infinities and other dtypes keep the
    standard library's output (JSON has no NaN: Python's json writes one anyway)."""
    rows = predictions.reshape(len(predictions), -1)
    kind = rows.dtype.kind
    if rows.size and (kind in "iu" or (kind == "f" and np.isfinite(rows).all())):
        exact = rows.astype(np.float64 if kind == "f" else rows.dtype, order="C", copy=False)
        if media == CSV:
            if exact.shape[1] == 1:
                return orjson.dumps(exact.ravel(), option=_NUMPY)[1:-1].replace(b",", b"\n") + b"\n"
            return orjson.dumps(exact, option=_NUMPY)[2:-2].replace(b"],[", b"\n") + b"\n"
        shaped = exact.reshape(predictions.shape)
        return b'{"predictions":' + orjson.dumps(shaped, option=_NUMPY) + b"}"
    if media == CSV:
        text = "\n".join(",".join(map(str, row)) for row in rows.tolist()) + "\n"
        return text.encode()
    return json.dumps({"predictions": predictions.tolist()}).encode()
