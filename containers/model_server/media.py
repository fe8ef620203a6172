"""Media types, client errors and `Accept` negotiation (RFC 9110 §12.5.1).

`negotiated` is `negotiate` remembered per worker: a client sends the same few
`Accept` headers again and again, so each distinct header is parsed once.
"""

from __future__ import annotations

import functools
import re

CSV, JSON, NPY = "text/csv", "application/json", "application/x-npy"
# What `Accept` may ask for, in the server's order of preference for ties.
OFFERED = (JSON, CSV)


class PayloadError(ValueError):
    """The client sent something we cannot read (4XX, with this message)."""

    status = 400


class UnsupportedMediaType(PayloadError):
    status = 415


class NotAcceptable(PayloadError):
    status = 406


def shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


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
        raise PayloadError(f"bad Accept header {shown(accept)}: {error}") from error
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
        raise NotAcceptable(f"cannot answer in {shown(accept)} (use {JSON} or {CSV})")
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


# Bounded: a client cycling through made-up headers costs parsing, not memory. Refusals
# (400, 406) are exceptions, which lru_cache does not keep: they are parsed each time.
negotiated = functools.lru_cache(maxsize=256)(negotiate)
