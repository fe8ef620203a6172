"""Request bodies to feature matrices, predictions to response bodies.

Every body the server cannot read raises a `PayloadError`: the client gets its status
(400, 406 or 415) and message, never a 500 and never a guess at what it meant.
"""

from __future__ import annotations

import io
import json
import math
import re
import warnings

import numpy as np

CSV, JSON, NPY = "text/csv", "application/json", "application/x-npy"
# What `Accept` may ask for, in the server's order of preference for ties.
OFFERED = (JSON, CSV)
# The .npy dtypes that are numbers: bool, signed and unsigned integers, floats.
NPY_KINDS = "biuf"
NPY_HEADER_LIMIT = 10_000  # bytes; NumPy's own default for untrusted files


class PayloadError(ValueError):
    """The client sent something we cannot read (4XX, with this message)."""

    status = 400


class UnsupportedMediaType(PayloadError):
    status = 415


class NotAcceptable(PayloadError):
    status = 406


def _media(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


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
                    f"bad CSV: line {number} is not {width} numbers: {_shown(line)}"
                    " (no header, no empty fields)"
                )
        raise PayloadError(f"bad CSV: expected {len(lines)} rows of {width} numbers")
    return _matrix(values.reshape(len(lines), width))


def _json(body: bytes) -> np.ndarray:
    try:
        document = json.loads(body)
    except RecursionError as error:
        # The C decoder stops at the interpreter's recursion limit (about 1000 levels):
        # a matrix needs 3. Refused in time proportional to the depth reached.
        raise PayloadError("bad JSON: nested too deeply (a matrix needs 2 or 3 levels)") from error
    except ValueError as error:  # also UnicodeDecodeError
        raise PayloadError(f"bad JSON: {error}") from error
    if isinstance(document, dict):
        document = document.get("instances", document.get("inputs"))
    if document is None:
        raise PayloadError('JSON needs a list of rows or {"instances": [...]}')
    return _matrix(document)


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


# RFC 9110 §5.6.2 token characters, §12.4.2 qvalue.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def _split(header: str, separator: str) -> list[str]:
    """`header` split at `separator`, except inside quoted strings (RFC 9110 §5.6.4)."""
    parts, start, quoted, escaped = [], 0, False, False
    for index, char in enumerate(header):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append(header[start:index])
            start = index + 1
    if quoted:
        raise ValueError("unterminated quoted string")
    parts.append(header[start:])
    return parts


def accept_ranges(header: str) -> list[tuple[str, str, float]]:
    """`Accept` as (type, subtype, q) per RFC 9110 §12.5.1; ValueError when malformed."""
    ranges = []
    for element in _split(header, ","):
        if not element.strip():
            continue  # empty list elements are allowed (§5.6.1)
        media_range, *parameters = _split(element, ";")
        kind, slash, subtype = media_range.strip().partition("/")
        if not (slash and _TOKEN.fullmatch(kind) and _TOKEN.fullmatch(subtype)):
            raise ValueError(f"{media_range.strip()!r} is not a media range")
        if kind == "*" and subtype != "*":
            raise ValueError(f"{media_range.strip()!r} is not a media range")
        q = 1.0
        for parameter in parameters:
            if not parameter.strip():
                continue
            name, equals, value = parameter.strip().partition("=")
            if not (equals and _TOKEN.fullmatch(name.strip())):
                raise ValueError(f"{parameter.strip()!r} is not a parameter")
            if name.strip().lower() == "q":
                if not _QVALUE.fullmatch(value.strip()):
                    raise ValueError(f"q={value.strip()} is not a weight (0 to 1, 3 decimals)")
                q = float(value)
        ranges.append((kind.lower(), subtype.lower(), q))
    return ranges


def negotiate(accept: str | None) -> str:
    """The media type to answer in: the one `Accept` weighs highest among OFFERED.

    Each type takes the weight of the most specific range that matches it (`text/csv`
    over `text/*` over `*/*`); q=0 means "not acceptable"; ties go to JSON. No header,
    or an empty one, accepts anything: JSON.
    """
    if accept is None or not accept.strip(" \t,"):
        return JSON
    try:
        ranges = accept_ranges(accept)
    except ValueError as error:
        raise PayloadError(f"bad Accept header {_shown(accept)}: {error}") from error
    best, best_q = None, 0.0
    for media in OFFERED:
        kind, _, subtype = media.partition("/")
        matches = [
            (specificity, q)
            for range_kind, range_subtype, q in ranges
            if (specificity := _specificity(range_kind, range_subtype, kind, subtype)) >= 0
        ]
        if matches:
            most = max(specificity for specificity, _ in matches)
            q = max(q for specificity, q in matches if specificity == most)
            if q > best_q:
                best, best_q = media, q
    if best is None:
        raise NotAcceptable(f"cannot answer in {_shown(accept)} (use {JSON} or {CSV})")
    return best


def _specificity(range_kind: str, range_subtype: str, kind: str, subtype: str) -> int:
    """2: type/subtype matches; 1: type/*; 0: */*; -1: no match."""
    if (range_kind, range_subtype) == ("*", "*"):
        return 0
    if range_kind != kind:
        return -1
    if range_subtype == "*":
        return 1
    return 2 if range_subtype == subtype else -1


def encode(predictions: np.ndarray, accept: str | None) -> tuple[bytes, str]:
    """JSON (`{"predictions": …}`, the default) or CSV, as `Accept` asks (see negotiate)."""
    media = negotiate(accept)
    if media == CSV:
        rows = predictions.reshape(len(predictions), -1).tolist()
        text = "\n".join(",".join(map(str, row)) for row in rows) + "\n"
        return text.encode(), CSV
    return json.dumps({"predictions": predictions.tolist()}).encode(), JSON
