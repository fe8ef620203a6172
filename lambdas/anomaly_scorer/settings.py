"""The scorer's settings, read once per container from its environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from anomaly_scorer import environment as names

# InvokeEndpoint takes 6 MB on real-time endpoints and 4 MB on serverless ones; pack
# below that with room for the request's own overhead.
PAYLOAD_LIMITS = {"realtime": 5 * 1024 * 1024, "serverless": 3 * 1024 * 1024}


@dataclass(frozen=True, slots=True)
class Settings:
    endpoint_name: str
    feature_format: str  # "json" or "csv"
    feature_fields: tuple[str, ...]
    feature_columns: tuple[int, ...]
    threshold: float
    payload_limit: int
    anomaly_sink: str  # "eventbridge" or "kinesis"
    anomaly_target: str  # event bus name or stream name
    failure_queue_url: str
    # Stop retrying the endpoint when less than this much of the invocation is left.
    safety_margin_ms: int = 5000

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> Settings:
        def listed(name: str) -> tuple[str, ...]:
            return tuple(v for v in env.get(name, "").split(",") if v)

        return cls(
            endpoint_name=env[names.ENDPOINT_NAME],
            feature_format=env.get(names.FEATURE_FORMAT, "json"),
            feature_fields=listed(names.FEATURE_FIELDS),
            feature_columns=tuple(int(v) for v in listed(names.FEATURE_COLUMNS)),
            threshold=float(env[names.THRESHOLD]),
            payload_limit=PAYLOAD_LIMITS[env.get(names.ENDPOINT_KIND, "realtime")],
            anomaly_sink=env.get(names.ANOMALY_SINK, "eventbridge"),
            anomaly_target=env[names.ANOMALY_TARGET],
            failure_queue_url=env[names.FAILURE_QUEUE_URL],
            safety_margin_ms=int(env.get(names.SAFETY_MARGIN_MS, "5000")),
        )
