"""Drift-checks decisions: which engine monitors an endpoint, and the drift alarms.

`engine: drift-checks` (the default) runs this project's drift job in a SageMaker
Pipeline on an EventBridge Scheduler schedule; `engine: model-monitor` keeps Model
Monitor's job definitions and schedules (README, "Monitoring").
"""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.drift import (
    DEFAULT_DRIFT_SHARE,
    DEFAULT_NO_DATA_RUNS,
    MAX_ALARM_EVALUATION_SECONDS,
    SCHEDULE_PERIOD_SECONDS,
)
from infra.config.monitoring import MonitoringConfig
from infra.plan.issues import Issues

DRIFT_CHECKS, MODEL_MONITOR = "drift-checks", "model-monitor"


@dataclass(frozen=True, slots=True)
class DriftAlarms:
    """When the drift pipeline's runs alarm on the stage topic."""

    # DriftedFeatureShare above this (0-1).
    drift_share: float
    # RowsAnalysed below 1, or missing, for this many runs in a row.
    no_data_runs: int
    # Seconds between runs (the schedule's period): the alarms' period.
    period_seconds: int


def plan_drift_alarms(config: MonitoringConfig, path: str, issues: Issues) -> DriftAlarms | None:
    """The drift alarms of `engine: drift-checks`; None (and errors for the settings
    that only it reads) for `engine: model-monitor`."""
    if config.engine == MODEL_MONITOR:
        for key in ("drift_share", "no_data_runs"):
            value = getattr(config, key)
            if value is not None:
                issues.add(
                    f"{path}.{key}",
                    value,
                    "read by engine drift-checks only (allowed: unset with model-monitor)",
                )
        return None
    labels = config.model_quality.ground_truth_uri
    if labels is not None:
        # The window step lists, and the job reads, ground truth with roles scoped to
        # the stage's artifacts bucket (infra/constructs/drift_access.py).
        issues.add(
            f"{path}.model_quality.ground_truth_uri",
            labels,
            "drift checks read ground truth from the stage's artifacts bucket, under "
            "monitoring/<algorithm>/ground-truth/ (allowed: unset, or engine model-monitor)",
        )
    period = SCHEDULE_PERIOD_SECONDS[config.schedule]
    share = DEFAULT_DRIFT_SHARE if config.drift_share is None else config.drift_share
    if not 0 < share < 1:
        issues.add(f"{path}.drift_share", share, "a share of features (allowed: above 0, below 1)")
    runs = DEFAULT_NO_DATA_RUNS if config.no_data_runs is None else config.no_data_runs
    most = MAX_ALARM_EVALUATION_SECONDS // period
    if not 1 <= runs <= most:
        issues.add(
            f"{path}.no_data_runs",
            runs,
            f"CloudWatch evaluates at most 7 days of {config.schedule} runs (allowed: 1 to {most})",
        )
    return DriftAlarms(drift_share=share, no_data_runs=runs, period_seconds=period)
