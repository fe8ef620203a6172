"""Model Monitor facts that are not about one algorithm (facts §12).

The plan checks alarms against the metric table; the baseline step and the
monitoring job definitions size their jobs from the job constants.
"""

from __future__ import annotations

from infra.catalog.model import ProblemType

# Model-quality metrics Model Monitor publishes per problem type (DG:
# model-monitor-model-quality-metrics; not in the facts file); True: higher is
# better (alarm when below).
MODEL_QUALITY_METRICS: dict[ProblemType, dict[str, bool]] = {
    ProblemType.REGRESSION: {"mae": False, "mse": False, "rmse": False, "r2": True},
    ProblemType.BINARY: {
        "accuracy": True,
        "precision": True,
        "recall": True,
        "f0_5": True,
        "f1": True,
        "f2": True,
        "auc": True,
        "true_positive_rate": True,
        "true_negative_rate": True,
        "false_positive_rate": False,
        "false_negative_rate": False,
    },
    ProblemType.MULTICLASS: {
        "accuracy": True,
        "weighted_precision": True,
        "weighted_recall": True,
        "weighted_f0_5": True,
        "weighted_f1": True,
        "weighted_f2": True,
    },
}

# Every Model Monitor job (baseline, data and model quality) runs on one instance
# with this much storage: this project's sizing for the analyzer's tabular samples
# (facts §12), not an AWS limit.
MONITOR_JOB_INSTANCE_COUNT = 1
MONITOR_JOB_VOLUME_GB = 20
# Model Monitor jobs must finish within the hour even on hourly schedules
# (API: MonitoringStoppingCondition, DG: model-monitor-scheduling; not in the facts file).
MONITOR_JOB_MAX_RUNTIME_SECONDS = 3600
