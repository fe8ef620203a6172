"""Monitoring overrides: data drift / data quality, and model quality against ground truth."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import MAX_SAMPLING_PERCENT
from infra.config.fields import S3Uri, Strict

MonitoringSchedule = Literal["hourly", "daily"]
# drift-checks: this project's drift job in a SageMaker Pipeline (every account);
# model-monitor: Model Monitor job definitions and schedules (accounts that still have it).
MonitoringEngine = Literal["drift-checks", "model-monitor"]


class ModelQualityConfig(Strict):
    """Model-quality monitoring of a supervised algorithm against ground truth."""

    enabled: bool | None = None
    # Where the prediction (and its probability) sits in the captured response;
    # unset: the catalog's default for the algorithm's response format.
    inference_attribute: str | None = None
    probability_attribute: str | None = None
    probability_threshold: Annotated[float, Field(ge=0, le=1)] | None = None
    # Labels you upload, keyed by inference id; unset: monitoring/<algorithm>/ground-truth/.
    ground_truth_uri: S3Uri | None = None
    # Alarm when this model-quality metric crosses the threshold (e.g. f1 below 0.8).
    alarm_metric: str | None = None
    alarm_threshold: float | None = None


class MonitoringConfig(Strict):
    """Overrides for monitoring the real-time endpoint (README, "Monitoring")."""

    enabled: bool | None = None
    engine: MonitoringEngine = "drift-checks"
    # drift-checks alarms: the share of drifted features above which the stage topic
    # hears of it, and how many runs in a row without analysed rows mean "no data".
    drift_share: float | None = None
    no_data_runs: int | None = None
    # AWS's most frequent schedule is hourly.
    schedule: MonitoringSchedule = "daily"
    sampling_percent: Annotated[int, Field(ge=1, le=MAX_SAMPLING_PERCENT)] = 20
    instance_type: str = "ml.m5.xlarge"
    # The baseline step writes statistics and constraints; schedules stay stopped
    # (a visible state, not hourly failures) until you say it has run.
    baseline_ready: bool = False
    # CSV without header or label, in request column order; unset: see README.
    baseline_uri: S3Uri | None = None
    model_quality: ModelQualityConfig = ModelQualityConfig()
