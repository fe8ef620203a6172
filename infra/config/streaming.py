"""Stream scoring: the Kinesis stream, where features are, the threshold and the scorer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import LAMBDA_DEFAULT_CONCURRENCY, LAMBDA_MIN_UNRESERVED_CONCURRENCY
from infra.config.fields import Strict


class StreamConfig(Strict):
    """The Kinesis data stream records arrive on."""

    mode: Literal["on-demand", "provisioned"] = "on-demand"
    shards: Annotated[int, Field(ge=1, le=500)] = 1  # provisioned only
    retention_hours: Annotated[int, Field(ge=24, le=8760)] = 24


class FeaturesConfig(Strict):
    """Where each record's features are: JSON fields, or CSV column indexes."""

    format: Literal["json", "csv"] = "json"
    fields: Annotated[list[str], Field(min_length=1)] | None = None
    columns: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1)] | None = None


class ThresholdConfig(Strict):
    """An anomaly is a score above `fixed`, or above mean + k·std of the model's scores."""

    fixed: Annotated[float, Field(gt=0)] | None = None
    k: Annotated[float, Field(gt=0)] = 3.0
    # The model's score distribution (e.g. from scoring its training data).
    mean: Annotated[float, Field(ge=0)] = 1.0
    std: Annotated[float, Field(ge=0)] = 0.5


class ScorerConfig(Strict):
    """The Lambda and its Kinesis event source mapping."""

    memory_mb: Annotated[int, Field(ge=128, le=10240)] = 512
    timeout_seconds: Annotated[int, Field(ge=10, le=900)] = 60
    # Unset (the default): the scorer shares the account's unreserved concurrency. New
    # accounts may hold as few as 10, all of which Lambda keeps unreserved, so any
    # reservation fails there (`python -m infra preflight` checks the account).
    reserved_concurrency: (
        Annotated[
            int, Field(ge=1, le=LAMBDA_DEFAULT_CONCURRENCY - LAMBDA_MIN_UNRESERVED_CONCURRENCY)
        ]
        | None
    ) = None
    batch_size: Annotated[int, Field(ge=1, le=10000)] = 1000
    batching_window_seconds: Annotated[int, Field(ge=0, le=300)] = 1
    parallelization_factor: Annotated[int, Field(ge=1, le=10)] = 1
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = "LATEST"
    # AWS's defaults are infinite: one poison record would block a shard for a week.
    retry_attempts: Annotated[int, Field(ge=0, le=100)] = 3
    max_record_age_seconds: Annotated[int, Field(ge=60, le=604800)] = 3600


class StreamingConfig(Strict):
    """Kinesis → Lambda → Random Cut Forest anomaly scoring.

    Unset: on when the stage hosts an algorithm that can score streams.
    """

    enabled: bool | None = None
    stream: StreamConfig = StreamConfig()
    features: FeaturesConfig = FeaturesConfig()
    threshold: ThresholdConfig = ThresholdConfig()
    scorer: ScorerConfig = ScorerConfig()
    # Where anomalies go: an EventBridge bus or a second Kinesis stream.
    anomalies: Literal["eventbridge", "kinesis"] = "eventbridge"
