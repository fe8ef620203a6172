"""The hyperparameter ranges a tuning job searches: the catalog's, narrowed by the
config, or the user's own."""

from __future__ import annotations

from dataclasses import replace

from infra.catalog.tuning import (
    CategoricalRange,
    ContinuousRange,
    IntegerRange,
    ParameterRange,
    TuningSpec,
)
from infra.config.tuning import RangeConfig, TuningConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.issues import Issues


def plan_ranges(
    name: str,
    spec: TuningSpec,
    config: TuningConfig,
    hyperparameters: dict[str, str],
    path: str,
    issues: Issues,
    known: tuple[str, ...] | None = None,
) -> tuple[ParameterRange, ...]:
    """The ranges to search; `known` is every hyperparameter name the algorithm takes
    (None: the user's own names), so a name it lacks reads as such, not as untunable."""

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
            if conditional and conditional[0].when:
                message = f"{name} tunes it only when {conditional[0].when.describe()}"
            elif known is not None and hyperparameter not in known:
                message = f"not a {name} hyperparameter {allowed(tunable)}"
            else:
                message = f"{name} documents no tuning range for it {allowed(tunable)}"
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


def user_ranges(config: TuningConfig) -> tuple[ParameterRange, ...]:
    ranges: list[ParameterRange] = []
    for hyperparameter, wanted in sorted((config.ranges or {}).items()):
        if wanted.values is not None:
            ranges.append(CategoricalRange(hyperparameter, tuple(wanted.values)))
        elif isinstance(wanted.min, int) and isinstance(wanted.max, int):
            ranges.append(IntegerRange(hyperparameter, wanted.min, wanted.max))
        else:
            ranges.append(ContinuousRange(hyperparameter, float(wanted.min), float(wanted.max)))  # type: ignore[arg-type]
    return tuple(ranges)
