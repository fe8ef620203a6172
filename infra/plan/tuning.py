"""Tuning decisions: objective, strategy, budget and ranges, checked against the catalog."""

from __future__ import annotations

import re
from dataclasses import replace

from infra.catalog.limits import EARLY_STOPPING_STRATEGIES, TUNING_JOB_NAME_PATTERN
from infra.catalog.model import Algorithm, Direction, NotSupported
from infra.catalog.tuning import (
    CategoricalRange,
    ContinuousRange,
    IntegerRange,
    MetricSpec,
    ParameterRange,
    TuningSpec,
)
from infra.config.model import RangeConfig, TuningConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.issues import Issues
from infra.plan.model import DISABLED, ChannelPlan, Skipped, TrainingPlan, TuningPlan

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
        ranges = _user_ranges(config)
    else:
        if config.metric_definitions is not None or config.direction is not None:
            issues.add(
                f"{path}.metric_definitions",
                NO_VALUE,
                f"{name} emits its own metrics; metric_definitions and direction are only "
                "for algorithms without built-in metrics",
            )
        objective = _objective(name, spec, config, training, path, issues)
        ranges = _ranges(name, spec, config, hyperparameters, path, issues)

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


def _ranges(
    name: str,
    spec: TuningSpec,
    config: TuningConfig,
    hyperparameters: dict[str, str],
    path: str,
    issues: Issues,
) -> tuple[ParameterRange, ...]:
    def documented(hyperparameter: str) -> ParameterRange | None:
        return next(
            (
                r
                for r in spec.ranges_named(hyperparameter)
                if r.when is None or r.when.holds(hyperparameters)
            ),
            None,
        )

    if config.ranges is None:
        found = (documented(h) for h in spec.default_ranges)
        return tuple(r for r in found if r is not None)

    ranges: list[ParameterRange] = []
    tunable = sorted({r.name for r in spec.ranges})
    for hyperparameter, wanted in sorted(config.ranges.items()):
        where = f"{path}.ranges.{hyperparameter}"
        doc = documented(hyperparameter)
        if doc is None:
            conditional = spec.ranges_named(hyperparameter)
            message = (
                f"{name} tunes it only when {conditional[0].when.describe()}"
                if conditional and conditional[0].when
                else f"{name} documents no tuning range for it {allowed(tunable)}"
            )
            issues.add(where, NO_VALUE, message)
            continue
        narrowed = _narrow(doc, wanted, where, issues)
        if narrowed is not None:
            ranges.append(narrowed)
    return tuple(ranges)


def _narrow(
    doc: ParameterRange, wanted: RangeConfig, where: str, issues: Issues
) -> ParameterRange | None:
    """`doc` narrowed to what config asks for, if that stays inside the documented range."""
    if isinstance(doc, CategoricalRange):
        if wanted.values is None:
            issues.add(where, NO_VALUE, f"categorical: give values {allowed(doc.values)}")
            return None
        extra = [v for v in wanted.values if v not in doc.values]
        if extra:
            issues.add(f"{where}.values", extra, f"not documented values {allowed(doc.values)}")
            return None
        return replace(doc, values=tuple(wanted.values))
    if wanted.min is None or wanted.max is None:
        issues.add(where, NO_VALUE, f"numeric: give min and max (documented: {_bounds(doc)})")
        return None
    if isinstance(doc.min_value, int) and not all(
        isinstance(v, int) for v in (wanted.min, wanted.max)
    ):
        issues.add(where, NO_VALUE, "an integer range: min and max must be integers")
        return None
    if wanted.min < doc.min_value or wanted.max > doc.max_value:
        issues.add(
            where,
            {"min": wanted.min, "max": wanted.max},
            f"outside the documented range {_bounds(doc)}",
        )
        return None
    return replace(doc, min_value=wanted.min, max_value=wanted.max)  # type: ignore[arg-type]


def _bounds(doc: ParameterRange) -> str:
    return f"[{doc.min_value}, {doc.max_value}]"  # type: ignore[union-attr]


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


def _user_ranges(config: TuningConfig) -> tuple[ParameterRange, ...]:
    ranges: list[ParameterRange] = []
    for hyperparameter, wanted in sorted((config.ranges or {}).items()):
        if wanted.values is not None:
            ranges.append(CategoricalRange(hyperparameter, tuple(wanted.values)))
        elif isinstance(wanted.min, int) and isinstance(wanted.max, int):
            ranges.append(IntegerRange(hyperparameter, wanted.min, wanted.max))
        else:
            ranges.append(ContinuousRange(hyperparameter, float(wanted.min), float(wanted.max)))  # type: ignore[arg-type]
    return tuple(ranges)
