"""Tuning decisions: objective, strategy, budget and ranges, checked against the catalog."""

from __future__ import annotations

import re
from dataclasses import dataclass

from infra.catalog.limits import (
    EARLY_STOPPING_STRATEGIES,
    TUNING_JOB_NAME_PATTERN,
    TUNING_MAX_JOBS,
    TUNING_MAX_JOBS_RANDOM,
)
from infra.catalog.model import Algorithm, Direction, NotSupported
from infra.catalog.tuning import (
    CategoricalRange,
    MetricSpec,
    ParameterRange,
    TuningSpec,
)
from infra.config.tuning import TuningConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.channels import ChannelPlan
from infra.plan.issues import Issues
from infra.plan.skipped import DISABLED, Skipped
from infra.plan.training import TrainingPlan
from infra.plan.tuning_ranges import plan_ranges, user_ranges


@dataclass(frozen=True, slots=True)
class TuningPlan:
    objective: MetricSpec
    strategy: str
    max_jobs: int
    max_parallel_jobs: int
    ranges: tuple[ParameterRange, ...]
    # Whether the job stops after max_jobs: a grid search runs every combination.
    stops_at_max_jobs: bool
    # The training channels plus the one the objective is computed on.
    channels: tuple[ChannelPlan, ...] = ()
    early_stopping: bool = False
    warm_start_from: tuple[str, ...] = ()
    metric_definitions: tuple[tuple[str, str], ...] = ()  # user metrics (RL)
    schedule: str | None = None
    # Static hyperparameters the tuning job sets over the training ones.
    hyperparameter_overrides: tuple[tuple[str, str], ...] = ()


TUNING_JOB_NAME = re.compile(TUNING_JOB_NAME_PATTERN)
_USER_METRICS_NEEDED = NotSupported(
    "no built-in metrics: set tuning.objective, direction and metric_definitions"
)


def plan_tuning(
    algorithm: Algorithm,
    config: TuningConfig,
    training: TrainingPlan,
    path: str,
    issues: Issues,
) -> TuningPlan | Skipped:
    spec, name = algorithm.tuning, algorithm.name
    if config.enabled is False:
        return DISABLED
    if isinstance(spec, NotSupported):
        if config.enabled or config.objective or config.ranges:
            issues.add(f"{path}.enabled", True, f"{name} cannot be tuned: {spec.reason}")
        return spec
    if config.max_jobs > TUNING_MAX_JOBS and config.strategy != "Random":
        issues.add(
            f"{path}.max_jobs",
            config.max_jobs,
            f"{config.strategy} search runs at most {TUNING_MAX_JOBS} training jobs; only Random "
            f"search goes further, up to {TUNING_MAX_JOBS_RANDOM} with a raised quota",
        )
    if config.max_parallel_jobs > config.max_jobs:
        issues.add(
            f"{path}.max_parallel_jobs",
            config.max_parallel_jobs,
            f"more parallel jobs than max_jobs ({config.max_jobs})",
        )

    hyperparameters = training.hyperparameter_map
    before = len(issues.items)
    if spec.user_metric_definitions:
        objective = _user_objective(name, config, path, issues)
        if objective is None:
            return _USER_METRICS_NEEDED
        ranges = user_ranges(config)
    else:
        if config.metric_definitions is not None or config.direction is not None:
            issues.add(
                f"{path}.metric_definitions",
                NO_VALUE,
                f"{name} emits its own metrics; metric_definitions and direction are only "
                "for algorithms without built-in metrics",
            )
        objective = _objective(name, spec, config, training, path, issues)
        ranges = plan_ranges(
            name,
            spec,
            config,
            hyperparameters,
            path,
            issues,
            algorithm.training.hyperparameter_names,
        )

    numeric = [r.name for r in ranges if not isinstance(r, CategoricalRange)]
    if config.strategy == "Grid" and numeric:
        issues.add(
            f"{path}.strategy",
            "Grid",
            f"Grid search takes categorical ranges only (numeric here: {', '.join(numeric)})",
        )
    channels = _channels(name, objective, training, path, issues) if objective else ()
    warm_start = _warm_start(config, path, issues)
    if objective is None or not ranges:
        if objective is not None and len(issues.items) == before:
            issues.add(f"{path}.ranges", NO_VALUE, f"{name} has no range to tune")
        return NotSupported("invalid tuning config")
    return TuningPlan(
        objective=objective,
        strategy=config.strategy,
        max_jobs=config.max_jobs,
        max_parallel_jobs=config.max_parallel_jobs,
        ranges=ranges,
        stops_at_max_jobs=config.strategy != "Grid",
        channels=channels,
        # Hyperband stops jobs itself and requires Off; Grid is exhaustive by design.
        # The strategy must allow it and the algorithm emit the objective per epoch.
        early_stopping=config.strategy in EARLY_STOPPING_STRATEGIES and spec.stops_early(objective),
        warm_start_from=warm_start,
        metric_definitions=tuple(sorted((config.metric_definitions or {}).items())),
        schedule=config.schedule,
        # Make the algorithm emit the objective (XGBoost emits only its eval_metric,
        # k-means only its eval_metrics).
        hyperparameter_overrides=spec.emit(objective),
    )


def _channels(
    name: str, objective: MetricSpec, training: TrainingPlan, path: str, issues: Issues
) -> tuple[ChannelPlan, ...]:
    """The training channels plus the one the objective metric is computed on."""
    channels = list(training.channels)
    wanted = objective.channel
    if wanted is None or wanted in {c.name for c in channels}:
        return tuple(channels)
    optional = next((c for c in training.optional_channels if c.name == wanted), None)
    if optional is None:
        issues.add(
            f"{path}.objective",
            objective.name,
            f"needs a {wanted} channel, which {name} does not have here",
        )
    elif training.channels_pinned:
        issues.add(
            f"{path}.objective",
            objective.name,
            f"is computed on the {wanted} channel: add {wanted} to training.channels",
        )
    else:
        channels.append(optional)
    return tuple(channels)


def _warm_start(config: TuningConfig, path: str, issues: Issues) -> tuple[str, ...]:
    parents = tuple(config.warm_start_from or ())
    if parents and config.strategy not in EARLY_STOPPING_STRATEGIES:
        issues.add(
            f"{path}.warm_start_from",
            list(parents),
            f"warm start is for Bayesian and Random searches, not {config.strategy}",
        )
    for parent in parents:
        if not TUNING_JOB_NAME.match(parent):
            issues.add(
                f"{path}.warm_start_from",
                parent,
                "not a tuning job name (1-32 letters, digits and hyphens)",
            )
    return parents


def _objective(
    name: str,
    spec: TuningSpec,
    config: TuningConfig,
    training: TrainingPlan,
    path: str,
    issues: Issues,
) -> MetricSpec | None:
    hyperparameters = training.hyperparameter_map
    if config.objective is None:
        # The catalog default, or the first metric valid for these hyperparameters
        # (e.g. a regressor's loss once predictor_type says regressor).
        candidates = [spec.metric(spec.default_objective), *spec.metrics]
        return next(
            m for m in candidates if m and (m.when is None or m.when.holds(hyperparameters))
        )
    metric = spec.metric(config.objective)
    if metric is None:
        issues.add(
            f"{path}.objective",
            config.objective,
            f"{name} does not emit this metric {allowed(m.name for m in spec.metrics)}",
        )
        return None
    if metric.when is not None and not metric.when.holds(hyperparameters):
        issues.add(
            f"{path}.objective",
            config.objective,
            f"{name} emits it only when {metric.when.describe()}",
        )
        return None
    return metric


def _user_objective(
    name: str, config: TuningConfig, path: str, issues: Issues
) -> MetricSpec | None:
    if config.objective is None and config.metric_definitions is None:
        if config.enabled:
            issues.add(f"{path}.objective", NO_VALUE, f"{name} {_USER_METRICS_NEEDED.reason}")
        return None
    definitions = config.metric_definitions or {}
    if config.objective not in definitions:
        issues.add(
            f"{path}.objective",
            config.objective,
            f"must be one of metric_definitions {allowed(sorted(definitions))}",
        )
        return None
    if config.direction is None:
        issues.add(
            f"{path}.direction", NO_VALUE, "required with metric_definitions (Maximize or Minimize)"
        )
        return None
    return MetricSpec(config.objective, Direction(config.direction))
