"""Decode records into feature rows, or say why a record cannot be scored."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass

from anomaly_scorer.settings import Settings


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that will never score; it goes to the failure queue with this reason."""

    reason: str


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse(data: bytes, settings: Settings) -> bytes | Rejected:
    """The record's features as one CSV row (`b"1.5,2.0\\n"`), in the configured order."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Rejected("not UTF-8")
    if settings.feature_format == "json":
        try:
            document = json.loads(text)
        except ValueError:
            return Rejected("not JSON")
        except RecursionError:  # json nests only about 1,000 levels deep
            return Rejected("JSON nested too deeply")
        if not isinstance(document, dict):
            return Rejected("not a JSON object")
        raw = [document.get(field) for field in settings.feature_fields]
        names = settings.feature_fields
    else:
        cells = text.strip("\r\n").split(",")
        raw = [cells[i] if i < len(cells) else None for i in settings.feature_columns]
        names = tuple(f"column {i}" for i in settings.feature_columns)
    values = []
    for name, value in zip(names, raw, strict=True):
        number = _number(value)
        if number is None:
            return Rejected(f"{name} is missing or not a finite number")
        values.append(number)
    return (",".join(repr(v) for v in values) + "\n").encode()


def kinesis_data(encoded: str) -> bytes | Rejected:
    """A Kinesis record's data as Lambda delivers it (base64), decoded."""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return Rejected("not base64")
