"""Metric names (the contract with infra/catalog/drift.py) and metrics.json datums."""

from __future__ import annotations

import math
from typing import Any

ROWS_ANALYSED = "RowsAnalysed"
ROWS_REJECTED = "RowsRejected"
DRIFTED_FEATURE_SHARE = "DriftedFeatureShare"
DATASET_DRIFT = "DatasetDrift"
FEATURE_DRIFT_SCORE = "FeatureDriftScore"
DRIFT_METRICS = (
    ROWS_ANALYSED,
    ROWS_REJECTED,
    DRIFTED_FEATURE_SHARE,
    DATASET_DRIFT,
    FEATURE_DRIFT_SCORE,
)

# Model Monitor's model-quality metric names per problem type (a copy of
# infra/catalog/model_monitor.py MODEL_QUALITY_METRICS keys: the job imports nothing
# from infra; tests/test_drift_metrics.py asserts the two agree).
QUALITY_METRICS: dict[str, tuple[str, ...]] = {
    "Regression": ("mae", "mse", "rmse", "r2"),
    "BinaryClassification": (
        "accuracy",
        "precision",
        "recall",
        "f0_5",
        "f1",
        "f2",
        "auc",
        "true_positive_rate",
        "true_negative_rate",
        "false_positive_rate",
        "false_negative_rate",
    ),
    "MulticlassClassification": (
        "accuracy",
        "weighted_precision",
        "weighted_recall",
        "weighted_f0_5",
        "weighted_f1",
        "weighted_f2",
    ),
}


# CloudWatch takes values between -2^360 and 2^360 (API PutMetricData, MetricDatum.Value).
VALUE_MAX = 1e100


def datum(name: str, value: float, unit: str = "None", **dims: str) -> dict[str, Any]:
    """One CloudWatch MetricDatum-shaped dict (the publish Lambda adds the rest)."""
    return {
        "MetricName": name,
        "Value": min(max(float(value), -VALUE_MAX), VALUE_MAX),
        "Unit": unit,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
    }


def metric_data(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """metrics.json from summary.json. Drift metrics only when rows were analysed (a
    0 there would read as "no drift"); quality metrics only when ground truth matched."""
    out = [
        datum(ROWS_ANALYSED, summary["rows_analysed"], "Count"),
        datum(ROWS_REJECTED, sum(summary["rows_rejected"].values()), "Count"),
    ]
    if summary["rows_analysed"] > 0 and summary["features"]:
        out.append(datum(DRIFTED_FEATURE_SHARE, summary["drifted_share"]))
        out.append(datum(DATASET_DRIFT, 1.0 if summary["dataset_drift"] else 0.0))
        for name, feature in summary["features"].items():
            out.append(datum(FEATURE_DRIFT_SCORE, feature["score"], Feature=name))
    for name, value in (summary["model_quality"] or {}).items():
        if math.isfinite(value):
            out.append(datum(name, value))
    return out
