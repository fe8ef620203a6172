"""Hyperparameter tuning overrides."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from infra.catalog.limits import (
    TUNING_MAX_CATEGORICAL_VALUES,
    TUNING_MAX_JOBS_RANDOM,
    TUNING_MAX_METRIC_DEFINITIONS,
    TUNING_MAX_PARALLEL_JOBS,
    TUNING_MAX_RANGES,
    TUNING_MAX_WARM_START_PARENTS,
    TUNING_STRATEGIES,
)
from infra.catalog.model import Direction
from infra.config.fields import ScheduleExpression, Strict

TuningStrategy = Literal[TUNING_STRATEGIES]  # type: ignore[valid-type]

DirectionName = Literal[tuple(direction.value for direction in Direction)]  # type: ignore[misc]


def _metric_regex(pattern: str) -> str:
    """A metric definition's regex: it must compile and capture the value (SageMaker
    reads the metric from the first group; API MetricDefinition.Regex)."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None
    if compiled.groups < 1:
        raise ValueError("needs a group that captures the value, e.g. loss: ([0-9.]+)")
    return pattern


MetricRegex = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_metric_regex)]


class RangeConfig(Strict):
    """A tuning range: `min` and `max` for numbers, or `values` for categories."""

    min: int | float | None = None
    max: int | float | None = None
    values: (
        Annotated[list[str], Field(min_length=1, max_length=TUNING_MAX_CATEGORICAL_VALUES)] | None
    ) = None

    @model_validator(mode="after")
    def _one_shape(self) -> RangeConfig:
        numeric = self.min is not None and self.max is not None
        if numeric == (self.values is not None) or (self.min is None) != (self.max is None):
            raise ValueError("give either min and max, or values")
        if numeric and self.min > self.max:  # type: ignore[operator]
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class TuningConfig(Strict):
    """Overrides for the hyperparameter tuning definition."""

    enabled: bool | None = None
    objective: str | None = None
    strategy: TuningStrategy = "Bayesian"
    # Random search only above TUNING_MAX_JOBS (the plan checks the strategy).
    max_jobs: Annotated[int, Field(ge=1, le=TUNING_MAX_JOBS_RANDOM)] = 10
    max_parallel_jobs: Annotated[int, Field(ge=1, le=TUNING_MAX_PARALLEL_JOBS)] = 2
    ranges: Annotated[dict[str, RangeConfig], Field(max_length=TUNING_MAX_RANGES)] | None = None
    # Only for algorithms without built-in metrics (reinforcement learning):
    # metric name -> regex over the training log, and the objective's direction.
    metric_definitions: (
        Annotated[dict[str, MetricRegex], Field(max_length=TUNING_MAX_METRIC_DEFINITIONS)] | None
    ) = None
    direction: DirectionName | None = None
    # Parent tuning jobs to warm-start from.
    warm_start_from: (
        Annotated[list[str], Field(max_length=TUNING_MAX_WARM_START_PARENTS)] | None
    ) = None
    schedule: ScheduleExpression | None = None
