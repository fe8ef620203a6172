"""Training job options beside its data: managed spot, and a framework's entry point."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.limits import SPOT_WAIT_WITHOUT_CHECKPOINTS
from infra.catalog.model import Algorithm, ImageSpec
from infra.config.training import TrainingConfig
from infra.errors import allowed
from infra.plan.issues import Issues


@dataclass(frozen=True, slots=True)
class SpotPlan:
    """Managed spot training; `checkpoints` when the algorithm syncs /opt/ml/checkpoints."""

    max_wait_seconds: int
    checkpoints: bool


@dataclass(frozen=True, slots=True)
class FrameworkPlan:
    """A framework entry point (reinforcement learning) instead of a built-in algorithm."""

    name: str  # e.g. "pytorch"
    image: ImageSpec
    entry_point: str
    source_uri: str | None  # None: the data bucket's training/<algorithm>/code/ tarball


DEFAULT_ENTRY_POINT = "train.py"


def plan_spot(
    algorithm: Algorithm, config: TrainingConfig, path: str, issues: Issues
) -> SpotPlan | None:
    spec, name = algorithm.training, algorithm.name
    spot = spec.checkpointing if config.spot is None else config.spot
    runtime = config.max_runtime_seconds
    if not spot:
        if config.max_wait_seconds is not None:
            issues.add(f"{path}.max_wait_seconds", config.max_wait_seconds, "only with spot: true")
        return None
    if spec.checkpointing:
        wait = config.max_wait_seconds or 2 * runtime
    else:
        wait = config.max_wait_seconds or SPOT_WAIT_WITHOUT_CHECKPOINTS
        if wait > SPOT_WAIT_WITHOUT_CHECKPOINTS:
            issues.add(
                f"{path}.max_wait_seconds",
                wait,
                f"{name} does not checkpoint, so spot training waits at most "
                f"{SPOT_WAIT_WITHOUT_CHECKPOINTS} s",
            )
            return None
        if config.max_wait_seconds is None and runtime >= wait:
            issues.add(
                f"{path}.max_runtime_seconds",
                runtime,
                f"{name} does not checkpoint: spot training must finish within its "
                f"{SPOT_WAIT_WITHOUT_CHECKPOINTS} s wait (set max_runtime_seconds below "
                f"{SPOT_WAIT_WITHOUT_CHECKPOINTS}, or spot: false)",
            )
            return None
    # CONFLICT (facts §10 #6): the DG wants MaxWait > MaxRuntime, the API >=; use >.
    if wait <= runtime:
        issues.add(
            f"{path}.max_wait_seconds",
            wait,
            f"must be greater than max_runtime_seconds ({runtime})",
        )
        return None
    return SpotPlan(max_wait_seconds=wait, checkpoints=spec.checkpointing)


def plan_framework(
    algorithm: Algorithm, config: TrainingConfig, path: str, issues: Issues
) -> FrameworkPlan | None:
    if algorithm.built_in:
        for key in ("framework", "entry_point", "source_uri"):
            value = getattr(config, key)
            if value is not None:
                issues.add(
                    f"{path}.{key}",
                    value,
                    f"{algorithm.name} is a built-in algorithm; entry points are for frameworks",
                )
        return None
    frameworks = dict(algorithm.frameworks)
    name = config.framework or algorithm.frameworks[0][0]
    if name not in frameworks:
        issues.add(
            f"{path}.framework", name, f"not a {algorithm.name} framework {allowed(frameworks)}"
        )
        return None
    return FrameworkPlan(
        name=name,
        image=frameworks[name],
        entry_point=config.entry_point or DEFAULT_ENTRY_POINT,
        source_uri=config.source_uri,
    )
