"""Catalog types for automatic model tuning: objective metrics and tunable ranges
(facts §6, §7). No CDK, no config."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.model import Condition, Direction, ScalingType


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """An objective metric the algorithm emits (facts §6)."""

    name: str
    direction: Direction
    # The metric is only meaningful when this holds (e.g. regression-only losses).
    when: Condition | None = None

    @property
    def channel(self) -> str | None:
        """The channel the metric is computed on: `test:` → test, `validation:` → validation."""
        prefix = self.name.split(":", 1)[0]
        return prefix if prefix in ("test", "validation") else None


@dataclass(frozen=True, slots=True)
class IntegerRange:
    name: str
    min_value: int
    max_value: int
    scaling: ScalingType = ScalingType.AUTO
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class ContinuousRange:
    name: str
    min_value: float
    max_value: float
    scaling: ScalingType = ScalingType.AUTO
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class CategoricalRange:
    name: str
    values: tuple[str, ...]
    when: Condition | None = None


ParameterRange = IntegerRange | ContinuousRange | CategoricalRange


@dataclass(frozen=True, slots=True)
class TuningSpec:
    """Automatic model tuning facts (facts §6, §7).

    `ranges` are the documented tunable ranges (config overrides must stay
    inside them); `default_ranges` names the ones tuned when config names none.
    """

    metrics: tuple[MetricSpec, ...]
    default_objective: str
    ranges: tuple[ParameterRange, ...]
    default_ranges: tuple[str, ...]
    # RL has no built-in metrics: the user supplies regex metric definitions.
    user_metric_definitions: bool = False
    # The hyperparameter that selects which metrics the algorithm emits (XGBoost's
    # eval_metric, k-means' eval_metrics): tuning sets it so the objective is emitted,
    # to `objective_value` with {metric} the objective's name without its channel.
    objective_hyperparameter: str | None = None
    objective_value: str = "{metric}"
    # Early stopping needs the objective emitted every epoch: documented for linear
    # learner (objective_loss only), XGBoost, image classification, object detection,
    # seq2seq and IP Insights (facts §7: DG:automatic-model-tuning-early-stopping).
    # True: for any objective; a tuple: only for these objectives.
    early_stopping: bool | tuple[str, ...] = False

    def stops_early(self, objective: MetricSpec) -> bool:
        """Whether trials of a search on `objective` can be stopped early."""
        if isinstance(self.early_stopping, tuple):
            return objective.name in self.early_stopping
        return self.early_stopping

    def emit(self, objective: MetricSpec) -> tuple[tuple[str, str], ...]:
        """The static hyperparameters that make the algorithm emit `objective`."""
        if self.objective_hyperparameter is None:
            return ()
        metric = objective.name.split(":", 1)[1]
        return ((self.objective_hyperparameter, self.objective_value.format(metric=metric)),)

    def metric(self, name: str) -> MetricSpec | None:
        return next((m for m in self.metrics if m.name == name), None)

    def ranges_named(self, name: str) -> tuple[ParameterRange, ...]:
        return tuple(r for r in self.ranges if r.name == name)
