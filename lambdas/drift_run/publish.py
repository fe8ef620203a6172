"""Publish one drift run's metrics.json (a list of MetricDatum-shaped dicts written by
the drift job) into the project's CloudWatch namespace, with the Endpoint and Algorithm
dimensions added and nothing else changed."""

from __future__ import annotations

import json
from typing import Any

from drift_run.window import split_uri

# PutMetricData takes at most 1000 metrics per call (API reference, MetricData);
# smaller calls keep each request well under its 1 MB payload limit.
BATCH = 500
# CloudWatch allows 30 dimensions per metric (MetricDatum.Dimensions).
MAX_DIMENSIONS = 30
METRICS_FILE = "metrics.json"


def metrics_key(report_uri: str) -> tuple[str, str]:
    bucket, key = split_uri(report_uri)
    return bucket, f"{key.rstrip('/')}/{METRICS_FILE}" if key else METRICS_FILE


def with_dimensions(datum: dict[str, Any], endpoint: str, algorithm: str) -> dict[str, Any]:
    dimensions = [
        {"Name": "Endpoint", "Value": endpoint},
        {"Name": "Algorithm", "Value": algorithm},
        *[d for d in datum.get("Dimensions", []) if d["Name"] not in ("Endpoint", "Algorithm")],
    ]
    return {**datum, "Dimensions": dimensions[:MAX_DIMENSIONS]}


def read_metrics(s3: Any, report_uri: str) -> list[dict[str, Any]]:
    bucket, key = metrics_key(report_uri)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    data = json.loads(body)
    if not isinstance(data, list):
        raise ValueError(f"s3://{bucket}/{key}: expected a JSON list of metric data")
    return data


def publish(s3: Any, cloudwatch: Any, namespace: str, event: dict[str, Any]) -> dict[str, str]:
    """The `publish` action: returns how many data points it put."""
    data = [
        with_dimensions(d, event["endpoint"], event["algorithm"])
        for d in read_metrics(s3, event["report_uri"])
    ]
    for start in range(0, len(data), BATCH):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start : start + BATCH])
    return {"published": str(len(data))}
