"""The summary table `make synth` prints: one row per algorithm, per stage."""

from __future__ import annotations

from infra.catalog import CATALOG
from infra.catalog.model import Direction, NotSupported
from infra.names import physical_name
from infra.plan.async_inference import AsyncPlan
from infra.plan.channels import DataSource
from infra.plan.cost import render_idle_floor
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan, ServerPlan
from infra.plan.models import Waiting
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan
from infra.plan.serverless import ServerlessPlan
from infra.plan.skipped import Disabled, Skipped
from infra.plan.stages import AppPlan, StagePlan
from infra.plan.streaming import STREAM_SCORERS, StreamingPlan
from infra.plan.training import TrainingPlan
from infra.plan.transform import TransformPlan
from infra.plan.tuning import TuningPlan

COLUMNS = (
    "algorithm",
    "training",
    "tuning",
    "real-time endpoint",
    "serverless",
    "async",
    "monitor",
    "streaming",
)


def _skipped(value: object) -> str | None:
    if isinstance(value, Disabled):
        return "off (config)"
    if isinstance(value, NotSupported):
        return f"n/a ({value.reason})"
    if isinstance(value, Waiting):
        return value.reason
    return None


def _training(plan: TrainingPlan) -> str:
    if plan.framework is not None:
        data = f"{plan.framework.name} entry point"
    else:
        data = f"{plan.input_mode.value} {plan.content_type}"
        data += " from FSx" if plan.data_source is DataSource.FSX else ""
    spot = ", spot" if plan.spot is not None else ""
    return f"{plan.instance_type} ×{plan.instance_count}, {data}{spot}"


def _tuning(plan: TuningPlan) -> str:
    arrow = "↑" if plan.objective.direction is Direction.MAXIMIZE else "↓"
    stops = ", early stopping" if plan.early_stopping else ""
    return f"{plan.objective.name} {arrow}, {plan.strategy} ×{plan.max_jobs}{stops}"


def _endpoint(plan: EndpointPlan) -> str:
    text = f"{plan.instance_type} {plan.min_instances}–{plan.max_instances}"
    text += f", {plan.deployment.traffic.lower().replace('_', ' ')}"
    text += ", API" if plan.api is not None else ""
    text += f", pipeline {plan.pipeline.describe()}" if plan.pipeline else ""
    return f"{text}, serves {plan.main.source.label}"


def _async(plan: AsyncPlan) -> str:
    """The asynchronous endpoint: fleet, scale to zero, pipeline, model."""
    scaling = plan.scaling
    text = f"{plan.instance_type} {scaling.min_instances}–{scaling.max_instances}"
    text += ", scales to zero" if scaling.scales_to_zero else ""
    text += f", pipeline {plan.pipeline.describe()}" if plan.pipeline else ""
    return f"{text}, serves {plan.source.label}"


def _serverless(plan: ServerlessPlan) -> str:
    return f"{plan.memory_mb} MB, ≤{plan.max_concurrency}, serves {plan.source.label}"


def _monitor(plan: MonitorPlan) -> str:
    quality = plan.model_quality
    model = f" + model ({quality})" if isinstance(quality, ModelQualityPlan) else ""
    waiting = f", {plan.schedules.reason}" if plan.schedules else ""
    return f"{plan.engine}: data{model}, {plan.schedule}{waiting}"


def _streaming(plan: StreamingPlan) -> str:
    return f"Kinesis → Lambda → {plan.endpoint_instance_type}"


def _stream_of(stage: StagePlan, algorithm: str) -> StreamingPlan | Skipped:
    """What the stage's stream is to one algorithm: scored by it, waiting, off or n/a."""
    if stage.streaming is not None and stage.streaming.scorer == algorithm:
        return stage.streaming.plan
    if stage.unscored is not None and stage.unscored.scorer == algorithm:
        return stage.unscored.reason
    return NotSupported(f"only {', '.join(STREAM_SCORERS)} scores streams")


def row(plan: AlgorithmPlan, stage: StagePlan) -> tuple[str, ...]:
    cells = [plan.name, _training(plan.training)]
    for value, render in (
        (plan.tuning, _tuning),
        (plan.endpoint, _endpoint),
        (plan.serverless, _serverless),
        (plan.async_endpoint, _async),
        (plan.monitor, _monitor),
        (_stream_of(stage, plan.name), _streaming),
    ):
        cells.append(_skipped(value) or render(value))  # type: ignore[arg-type]
    return tuple(cells)


def stage_rows(stage: StagePlan) -> list[tuple[str, ...]]:
    """Every catalog algorithm; those not enabled in the stage say so."""
    planned = {a.name: a for a in stage.algorithms}
    rows = []
    for name in CATALOG:
        if name in planned:
            rows.append(row(planned[name], stage))
        else:
            rows.append((name, "not enabled in this stage", *("",) * (len(COLUMNS) - 2)))
    return rows + [server_row(server) for server in stage.model_servers]


def server_row(plan: ServerPlan) -> tuple[str, ...]:
    """A custom model server: hosted here, trained elsewhere."""
    cells = [plan.name, f"trained elsewhere ({plan.server.artifacts_of} artifacts)", "—"]
    for value, render in ((plan.endpoint, _endpoint), (plan.serverless, _serverless)):
        cells.append(_skipped(value) or render(value))  # type: ignore[arg-type]
    return (*cells, "—", "n/a (no baseline from a pipeline)", "—")


def render_table(rows: list[tuple[str, ...]]) -> str:
    table = [COLUMNS, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(COLUMNS), rule, *(line(r) for r in rows)])


def transform_lines(stage: StagePlan) -> list[str]:
    """One line per algorithm with batch transform enabled: its pipeline, or its wait."""
    lines = []
    for plan in stage.algorithms:
        transform = plan.transform
        name = physical_name(stage.prefix, plan.name, "transform", max_length=256)
        if isinstance(transform, Waiting):
            lines.append(f"- {name}: {transform.reason}")
        elif isinstance(transform, TransformPlan):
            split = f"{transform.content_type} split {transform.split_type.value}"
            if transform.batch_strategy is not None:
                split += f" {transform.batch_strategy.value}"
            ids = (
                f"ids joined ({transform.join.output_filter})"
                if transform.join
                else "ids: input object names"
            )
            schedule = f", {transform.schedule}" if transform.schedule else ", on demand"
            lines.append(
                f"- {name}: {transform.instance_type} ×{transform.instance_count}, {split} → "
                f"{transform.accept}, {ids}{schedule}, serves {transform.source.label}"
            )
    return lines


def render_summary(plan: AppPlan) -> str:
    parts = []
    for stage in plan.stages:
        where = ", ".join(
            f"{k} {v}" for k, v in (("account", stage.account), ("region", stage.region)) if v
        )
        header = f"Stage {stage.name} ({where or 'environment-agnostic'})"
        parts.append(f"{header}\n\n{render_table(stage_rows(stage))}")
        if transforms := transform_lines(stage):
            parts.append("Batch transform\n\n" + "\n".join(transforms))
        if stage.hosted:
            parts.append(render_idle_floor(stage))
    return "\n\n".join(parts) + "\n"
