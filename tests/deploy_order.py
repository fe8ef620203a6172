"""Walk a cloud assembly in deploy order and find what would be created before what it
needs: a model whose artifact or package nobody gave, a schedule before its endpoint
or baseline, a consumer before its endpoint, a drift pipeline before its endpoint or
baseline, a schedule before the pipeline it starts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.assembly import Json

# Resources that call an endpoint, or register it, when CloudFormation creates them.
# (Alarms and dashboards only name metric dimensions: they may come first.)
ENDPOINT_CONSUMERS = frozenset(
    {
        "AWS::Lambda::Function",
        "AWS::ApiGateway::Method",
        "AWS::SageMaker::MonitoringSchedule",
        "AWS::SageMaker::DataQualityJobDefinition",
        "AWS::SageMaker::ModelQualityJobDefinition",
        "AWS::ApplicationAutoScaling::ScalableTarget",
    }
)
_BASELINE = re.compile(r"/baselines/([a-z0-9-]+)/")
# Drift pipelines read the endpoint's capture and the baseline on every run (training
# pipelines write the baseline: they are no consumers).
_DRIFT_PIPELINE = re.compile(r".+-drift$")
_PIPELINE_TARGET = re.compile(r":pipeline/([A-Za-z0-9-]+)")


def _is_consumer(kind: str, properties: Json) -> bool:
    if kind == "AWS::SageMaker::Pipeline":
        name = properties.get("PipelineName")
        return isinstance(name, str) and bool(_DRIFT_PIPELINE.match(name))
    return kind in ENDPOINT_CONSUMERS


def _schedule_problems(where: str, resources: Json, logical_id: str) -> list[str]:
    """A schedule starts a pipeline of its own stack: that pipeline comes first."""
    target = json.dumps(resources[logical_id].get("Properties", {}).get("Target", {}))
    pipelines = {
        r["Properties"]["PipelineName"]: pid
        for pid, r in resources.items()
        if r["Type"] == "AWS::SageMaker::Pipeline"
        and isinstance(r["Properties"].get("PipelineName"), str)
    }
    before = _needs(resources, logical_id)
    return [
        f"{where}: starts pipeline {name} before it exists"
        for name in _PIPELINE_TARGET.findall(target)
        if name in pipelines and pipelines[name] not in before
    ]


@dataclass(frozen=True)
class Stack:
    name: str
    template: Json


def deploy_order(directory: Path) -> list[Stack]:
    """Every stack of every nested assembly, each after the stacks it depends on."""
    stacks: list[Stack] = []
    for manifest_path in sorted(directory.glob("**/manifest.json")):
        artifacts = json.loads(manifest_path.read_text())["artifacts"]
        done: set[str] = set()
        for artifact_id in sorted(artifacts):
            _visit(artifact_id, artifacts, done, manifest_path.parent, stacks)
    return stacks


def _visit(
    artifact_id: str, artifacts: Json, done: set[str], root: Path, stacks: list[Stack]
) -> None:
    """Append the stack `artifact_id` after every stack it depends on."""
    if artifact_id in done or artifact_id not in artifacts:
        return
    done.add(artifact_id)
    artifact = artifacts[artifact_id]
    for dependency in artifact.get("dependencies", []):
        _visit(dependency, artifacts, done, root, stacks)
    if artifact["type"] == "aws:cloudformation:stack":
        path = root / artifact["properties"]["templateFile"]
        stacks.append(Stack(artifact["displayName"], json.loads(path.read_text())))


def _references(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set()
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            found.add(value["Fn::GetAtt"][0])
        for child in value.values():
            found |= _references(child)
        return found
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value)) if value else set()
    return set()


def _needs(resources: Json, logical_id: str) -> set[str]:
    """Every resource of the same template created before `logical_id` (transitively)."""
    seen: set[str] = set()
    todo = [logical_id]
    while todo:
        resource = resources.get(todo.pop(), {})
        depends = resource.get("DependsOn", [])
        direct = ({depends} if isinstance(depends, str) else set(depends)) | _references(resource)
        for dependency in direct & set(resources) - seen:
            seen.add(dependency)
            todo.append(dependency)
    return seen


def _containers(properties: Json) -> Iterable[Json]:
    yield from properties.get("Containers", [])
    if "PrimaryContainer" in properties:
        yield properties["PrimaryContainer"]


def premature(stacks: list[Stack], given: set[str], baselines_ready: set[str]) -> list[str]:
    """What the walk finds created before what it needs; [] when the order is sound.

    `given`: model packages and artifacts the user pinned or the registry records say
    exist; `baselines_ready`: algorithms whose baselines the config says exist.
    """
    problems: list[str] = []
    endpoints_deployed: set[str] = set()
    for stack in stacks:
        resources = stack.template.get("Resources", {})
        endpoints_here = {
            text: logical_id
            for logical_id, r in resources.items()
            if r["Type"] == "AWS::SageMaker::Endpoint"
            and isinstance(text := r["Properties"].get("EndpointName"), str)
        }
        for logical_id, resource in resources.items():
            where = f"{stack.name}/{logical_id}"
            kind, properties = resource["Type"], resource.get("Properties", {})
            if kind == "AWS::SageMaker::Model":
                for container in _containers(properties):
                    for field in ("ModelPackageName", "ModelDataUrl"):
                        value = container.get(field)
                        if value is not None and (not isinstance(value, str) or value not in given):
                            problems.append(f"{where}: {field} {value} exists in no record")
            if kind == "AWS::Scheduler::Schedule":
                problems += _schedule_problems(where, resources, logical_id)
            if not _is_consumer(kind, properties):
                continue
            body = json.dumps(properties)
            before = _needs(resources, logical_id)
            for name, endpoint_id in endpoints_here.items():
                if name in body and endpoint_id not in before:
                    problems.append(f"{where}: created before endpoint {name} of its own stack")
            for name in re.findall(
                r"[a-z0-9-]+-(?:rt-[0-9a-f]{6}|async-[0-9a-f]{6}|serverless)", body
            ):
                if name not in endpoints_here and name not in endpoints_deployed:
                    problems.append(f"{where}: names endpoint {name}, deployed nowhere before it")
            for algorithm in _BASELINE.findall(body):
                if algorithm not in baselines_ready:
                    problems.append(f"{where}: reads the {algorithm} baseline before it exists")
        endpoints_deployed |= set(endpoints_here)
    return problems
