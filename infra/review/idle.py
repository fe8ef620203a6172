"""The idle cost floor of each stage, before and after a change, read from the
templates: what the endpoints keep with no traffic (the plan's own arithmetic,
`infra.plan.cost`, over what the templates deploy)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from infra.assembly import Json, StackArtifact
from infra.guardrails.template import Template, text, variants
from infra.plan.cost import IdleCapacity, IdleFloor, floor, price_regions
from infra.plan.schedule import ScheduledCapacity, average_minimum


def _minimums(template: Template) -> dict[str, tuple[int, tuple[ScheduledCapacity, ...]]]:
    """Each SageMaker variant's autoscaling minimum and scheduled actions, by resource id."""
    found = {}
    for target in template.of_type("AWS::ApplicationAutoScaling::ScalableTarget"):
        p = target.properties
        if p.get("ServiceNamespace") != "sagemaker":
            continue
        base = int(p.get("MinCapacity", 1))
        actions = tuple(
            ScheduledCapacity(
                name=str(a.get("ScheduledActionName", "")),
                cron=str(a.get("Schedule", "")),
                timezone=str(a.get("Timezone", "UTC")),
                min_instances=int(a.get("ScalableTargetAction", {}).get("MinCapacity", base)),
                max_instances=int(a.get("ScalableTargetAction", {}).get("MaxCapacity", base)),
            )
            for a in p.get("ScheduledActions", [])
        )
        found[text(p.get("ResourceId"))] = (base, actions)
    return found


def template_capacity(body: Json) -> tuple[IdleCapacity, ...]:
    """What the template's endpoints keep with no traffic."""
    template = Template.parse(body)
    minimums = _minimums(template)
    found = []
    for endpoint in template.of_type("AWS::SageMaker::Endpoint"):
        config = template.target(endpoint.properties.get("EndpointConfigName"))
        if config is None:
            continue
        name = text(endpoint.properties.get("EndpointName", endpoint.logical_id))
        for variant in variants(config):
            serverless = variant.get("ServerlessConfig")
            if serverless is not None:
                if provisioned := serverless.get("ProvisionedConcurrency"):
                    found.append(IdleCapacity("serverless provisioned concurrency", provisioned))
                continue
            key = f"endpoint/{name}/variant/{text(variant.get('VariantName', ''))}"
            if key in minimums:
                count = average_minimum(*minimums[key])
            else:
                count = float(variant.get("InitialInstanceCount", 1))
            found.append(IdleCapacity(text(variant.get("InstanceType")), count))
    return tuple(found)


@dataclass(frozen=True)
class StageFloor:
    stage: str
    regions: tuple[str, ...]
    before: tuple[IdleFloor, ...] | None  # per region; None: the stage is new
    after: tuple[IdleFloor, ...] | None  # None: the stage is removed

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _region(artifact: StackArtifact) -> str | None:
    region = artifact.environment.rsplit("/", 1)[-1]
    return None if region.startswith("unknown") else region


def _floors(
    artifacts: Mapping[str, StackArtifact],
) -> dict[str, tuple[tuple[str, ...], tuple[IdleFloor, ...]]]:
    stages: dict[str, tuple[str | None, list[IdleCapacity]]] = {}
    for name, artifact in artifacts.items():
        stage = name.split("/", 1)[0]
        _, capacity = stages.setdefault(stage, (_region(artifact), []))
        capacity += template_capacity(artifact.template())
    out = {}
    for stage, (region, capacity) in stages.items():
        if not capacity:
            continue
        regions = price_regions(region)
        out[stage] = (regions, tuple(floor(capacity, r) for r in regions))
    return out


def stage_floors(
    new: Mapping[str, StackArtifact], old: Mapping[str, StackArtifact]
) -> list[StageFloor]:
    """Per stage holding endpoints (in either assembly): its floor before and after."""
    after, before = _floors(new), _floors(old)
    found = []
    for stage in sorted(after.keys() | before.keys()):
        regions = (after.get(stage) or before[stage])[0]
        old_floor = before.get(stage)
        new_floor = after.get(stage)
        found.append(
            StageFloor(
                stage,
                regions,
                old_floor[1] if old_floor and old_floor[0] == regions else None,
                new_floor[1] if new_floor else None,
            )
        )
    return found


def render_floors(floors: list[StageFloor]) -> list[str]:
    """The Markdown section: stages whose floor changed (none: no section)."""
    changed = [f for f in floors if f.changed]
    if not changed:
        return []
    lines = [
        "## Idle cost floor",
        "",
        "What the endpoints cost a month with no traffic (instances x 730 h x on-demand "
        "price, `infra/catalog/prices.py`; schedules averaged over a year).",
        "",
        "| stage | prices | before | after |",
        "|---|---|---|---|",
    ]
    for f in changed:
        for index, region in enumerate(f.regions):
            before = f.before[index].render() if f.before else "—"
            after = f.after[index].render() if f.after else "—"
            lines.append(f"| {f.stage} | {region} | {before} | {after} |")
    return [*lines, ""]
