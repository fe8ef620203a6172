"""SageMaker data capture JSON Lines -> feature rows, and predictions for ground truth.

One line per request (DG "Capture data from real-time endpoint",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html):
{"captureData": {"endpointInput": {"observedContentType": "text/csv", "mode": "INPUT",
"data": "...", "encoding": "CSV"}, "endpointOutput": {...}}, "eventMetadata": {"eventId":
"...", "inferenceId": "...", "inferenceTime": "..."}, "eventVersion": "0"}. `encoding` is
CSV or JSON (data is the payload as text) or BASE64 (content types not listed in
CaptureContentTypeHeader; observedContentType says what the bytes are).
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from drift_checks import rows as R


def jsonl_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.jsonl") if p.is_file())


def lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield line


def payload_text(part: dict) -> tuple[str, str]:
    """(kind, text) of a captured payload: kind "csv" or "json". Raises KeyError/TypeError
    (malformed record), ValueError (bad base64), LookupError (unsupported content)."""
    data = part["data"]
    if not isinstance(data, str):
        raise TypeError("data is not a string")
    encoding = str(part.get("encoding", "")).upper()
    ctype = str(part.get("observedContentType", "")).lower()
    if encoding == "BASE64":
        try:
            data = base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as e:
            raise ValueError(str(e)) from e
        encoding = "JSON" if "json" in ctype else "CSV" if "csv" in ctype else ""
    if encoding == "CSV":
        return "csv", data
    if encoding == "JSON":
        return "json", data
    raise LookupError(ctype or encoding)


def json_feature_rows(doc) -> list:
    """Rows of a JSON request: [[...], ...], [...], {"instances"|"inputs": rows} where a
    row is a list of numbers or {"features": [...]} (the built-ins' JSON request format)."""
    if isinstance(doc, dict):
        doc = doc.get("instances", doc.get("inputs"))
    if isinstance(doc, list) and doc and not isinstance(doc[0], (list, dict)):
        doc = [doc]
    if not isinstance(doc, list):
        return [None]
    return [r.get("features") if isinstance(r, dict) else r for r in doc]


@dataclass
class CaptureScan:
    """What one pass over the capture files found."""

    records: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    matched: dict[str, dict] = field(default_factory=dict)  # key -> endpointOutput


def scan(
    root: Path, sink: R.RowSink, wanted_ids: set[str] | frozenset = frozenset()
) -> CaptureScan:
    """Feeds every captured request row to `sink`; keeps the endpointOutput of records
    whose inferenceId (else eventId) is in `wanted_ids` (those with ground truth)."""
    out = CaptureScan(rejects=sink.rejects)
    for path in jsonl_files(root):
        for line in lines(path):
            out.records += 1
            try:
                record = orjson.loads(line)
                captured = record["captureData"]
                kind, text = payload_text(captured["endpointInput"])
            except orjson.JSONDecodeError:
                out.rejects[R.MALFORMED_JSON] += 1
                continue
            except (KeyError, TypeError):
                out.rejects[R.MALFORMED_RECORD] += 1
                continue
            except ValueError:
                out.rejects[R.BAD_BASE64] += 1
                continue
            except LookupError:
                out.rejects[R.UNSUPPORTED_CONTENT] += 1
                continue
            if kind == "csv":
                sink.csv_text(text)
            else:
                try:
                    doc = orjson.loads(text)
                except orjson.JSONDecodeError:
                    out.rejects[R.MALFORMED_JSON] += 1
                    continue
                sink.json_rows(json_feature_rows(doc))
            if wanted_ids:
                meta = record.get("eventMetadata")
                if isinstance(meta, dict):
                    key = meta.get("inferenceId") or meta.get("eventId")
                    if (
                        isinstance(key, str)
                        and key in wanted_ids
                        and isinstance(captured.get("endpointOutput"), dict)
                    ):
                        out.matched[key] = captured["endpointOutput"]
    sink.flush()
    return out
