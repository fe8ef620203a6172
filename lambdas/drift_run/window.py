"""The window of one drift run: which capture and ground-truth objects it reads.

SageMaker writes data capture to
`<destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl` (DG, "Capture data"),
by the hour the request arrived; ground truth keeps Model Monitor's layout,
`<ground truth uri>/yyyy/mm/dd/hh/<file>` by the hour it was uploaded. The run writes
`window.json` and two S3 manifest files (`[{"prefix": "s3://bucket/"}, "key", …]`, the
ManifestFile format of ProcessingS3Input) that always list at least `window.json`, so
the processing job never gets an input without objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

PERIODS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}
LATEST = "latest"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def hours(self, until: datetime | None = None) -> list[datetime]:
        """Every hour from the start up to the end (or `until`), exclusive."""
        stop, hour, out = until or self.end, self.start, []
        while hour < stop:
            out.append(hour)
            hour += timedelta(hours=1)
        return out


def parse_time(text: str) -> datetime:
    """ISO 8601 (a trailing Z allowed); naive times are UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def window_of(schedule: str, started: str, window_end: str = LATEST) -> Window:
    """The last full period before the run started, or the one ending at `window_end`."""
    period = PERIODS[schedule]
    end = parse_time(window_end) if window_end and window_end != LATEST else parse_time(started)
    end = end.replace(minute=0, second=0, microsecond=0)
    if schedule == "daily":
        end = end.replace(hour=0)
    return Window(end - period, end)


def split_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key/` -> (bucket, key/)."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {uri}")
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def _keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [
        o["Key"] for page in pages for o in page.get("Contents", []) if not o["Key"].endswith("/")
    ]


def _variants(s3: Any, bucket: str, endpoint_prefix: str) -> list[str]:
    """Every variant directory the endpoint has captured under (one per variant)."""
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=endpoint_prefix, Delimiter="/"
    )
    return [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])]


def capture_keys(s3: Any, bucket: str, endpoint_prefix: str, window: Window) -> list[str]:
    """The capture files of every variant for the window's hours, sorted."""
    keys: list[str] = []
    for variant in _variants(s3, bucket, endpoint_prefix):
        for hour in window.hours():
            keys += _keys(s3, bucket, f"{variant}{hour:%Y/%m/%d/%H}/")
    return sorted(keys)


def ground_truth_keys(s3: Any, uri: str, window: Window, started: datetime) -> list[str]:
    """Labels uploaded from the window's start until the run started: those for the
    window's requests arrive after them."""
    bucket, base = split_uri(uri if uri.endswith("/") else f"{uri}/")
    keys: list[str] = []
    for hour in window.hours(until=max(window.end, started)):
        keys += _keys(s3, bucket, f"{base}{hour:%Y/%m/%d/%H}/")
    return sorted(keys)


def manifest(bucket: str, keys: list[str]) -> bytes:
    return json.dumps([{"prefix": f"s3://{bucket}/"}, *keys], indent=0).encode()


def run_window(s3: Any, event: dict[str, Any]) -> dict[str, str]:
    """The `window` action: list, write window.json and the manifests, return URIs."""
    bucket, started = event["bucket"], parse_time(event["started"])
    window = window_of(event["schedule"], event["started"], event.get("window_end", LATEST))
    run = f"{window.end:%Y-%m-%dT%H%MZ}-{event['execution']}"
    run_prefix = f"{event['runs_prefix']}{run}/"
    inputs = f"{run_prefix}inputs/"
    marker = f"{inputs}window.json"
    captured = capture_keys(s3, bucket, event["capture_prefix"], window)
    body = {
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        "run": run,
        "capture_objects": len(captured),
    }
    s3.put_object(Bucket=bucket, Key=marker, Body=json.dumps(body).encode())
    _put(s3, bucket, f"{inputs}capture.manifest", manifest(bucket, [*captured, marker]))
    truth_uri = event.get("ground_truth_uri") or ""
    truth = ground_truth_keys(s3, truth_uri, window, started) if truth_uri else []
    if truth:
        truth_bucket, _ = split_uri(truth_uri)
        truth_manifest = manifest(truth_bucket, truth)
    else:
        truth_manifest = manifest(bucket, [marker])
    _put(s3, bucket, f"{inputs}ground-truth.manifest", truth_manifest)
    return {
        "capture_manifest": f"s3://{bucket}/{inputs}capture.manifest",
        "ground_truth_manifest": f"s3://{bucket}/{inputs}ground-truth.manifest",
        "output_uri": f"s3://{bucket}/{run_prefix}",
        "run": run,
    }


def _put(s3: Any, bucket: str, key: str, body: bytes) -> None:
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
