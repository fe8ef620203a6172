"""Which stage's model registry each stage follows (`models_from`), and who shares it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from infra.config.stages import AppConfig, StageConfig
from infra.errors import allowed
from infra.names import CDK_DEFAULT_QUALIFIER, physical_name
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan, HostedPlan, ServerPlan
from infra.plan.issues import Issues
from infra.plan.models import ModelSource, Registry, Waiting
from infra.plan.serverless import ServerlessPlan
from infra.plan.stages import ApprovalRoute, LookupRole, PipelinePlan, StagePlan
from infra.plan.transform import TransformPlan


@dataclass(frozen=True, slots=True)
class RegistrySource:
    """The stage whose training pipelines register the models a stage serves."""

    stage: str
    prefix: str  # its namespace: group names start with it
    account: str | None
    region: str | None
    bootstrap_qualifier: str | None
    trains: frozenset[str]  # algorithms enabled there

    def registry(self, algorithm: str) -> Registry:
        return Registry(
            stage=self.stage,
            group=physical_name(self.prefix, algorithm, "models"),
            account=self.account,
            region=self.region,
            bootstrap_qualifier=self.bootstrap_qualifier,
        )


def own_registry(name: str, config: StageConfig) -> RegistrySource:
    """The stage's own registry, the one its training pipelines register into."""
    return RegistrySource(
        stage=name,
        prefix=config.namespace or name,
        account=config.account,
        region=config.region,
        bootstrap_qualifier=config.bootstrap_qualifier,
        trains=frozenset(n for n, a in config.algorithms.items() if a.enabled),
    )


def plan_registry_sources(config: AppConfig, issues: Issues) -> dict[str, RegistrySource]:
    """Each stage's registry source: its own, or the root of its `models_from` chain.

    Models flow forward, from a stage to the stages after it in the file (dev →
    staging → prod), so a chain always ends and never loops. Both stages must be in
    one region: SageMaker creates a model only from a package, and an artifact, in
    its own region (API reference: ContainerDefinition, ModelPackageContainerDefinition).
    """
    names = list(config.stages)
    sources: dict[str, RegistrySource] = {}
    for index, (name, stage) in enumerate(config.stages.items()):
        path = f"stages.{name}.models_from"
        origin = stage.models_from
        sources[name] = own_registry(name, stage)
        if origin is None:
            continue
        if origin not in config.stages:
            issues.add(path, origin, f"not a stage of this config {allowed(names)}")
        elif origin == name:
            issues.add(
                path, origin, "names its own stage; a stage follows its own registry by default"
            )
        elif names.index(origin) > index:
            issues.add(
                path,
                origin,
                f"names a later stage; models flow from earlier stages to later ones "
                f"{allowed(names[:index])}",
            )
        elif config.stages[origin].ephemeral:
            issues.add(
                path,
                origin,
                f"{origin} is ephemeral: deleting it would delete the artifacts, key and "
                "registry these endpoints serve from (set ephemeral: false there)",
            )
        else:
            source = sources[origin]  # already resolved to its chain's root
            here = (stage.account, stage.region)
            there = (source.account, source.region)
            if stage.region and source.region and stage.region != source.region:
                issues.add(
                    path,
                    origin,
                    f"{source.stage} is in {source.region}, this stage in {stage.region}: "
                    "SageMaker creates models only from packages and artifacts in the "
                    "model's own region",
                )
            elif (None in here) != (None in there):
                issues.add(
                    path,
                    origin,
                    "both stages name their account and region, or neither does "
                    "(an environment-agnostic registry could be in any account)",
                )
            sources[name] = source
    return sources


def check_trained(
    stage: str, algorithm: str, source: RegistrySource, path: str, issues: Issues
) -> None:
    """A stage following another's registry needs that stage to train the algorithm."""
    if source.stage != stage and algorithm not in source.trains:
        issues.add(
            path,
            algorithm,
            f"{source.stage} does not train {algorithm}, so its registry has no {algorithm} "
            f"models (enable it in {source.stage}, or pin endpoint.model_package_arn)",
        )


def serves_from_registry(hosted: HostedPlan) -> bool:
    """Whether anything `hosted` serves (endpoint, serverless, async endpoint, batch
    transform) follows its registry, now or once an approved package is recorded:
    pinned models (model_uri, model_package_arn) follow nothing."""
    if hosted.registry is None:
        return False
    capabilities: tuple[object, ...] = (hosted.endpoint, hosted.serverless)
    if isinstance(hosted, AlgorithmPlan):
        capabilities += (hosted.async_endpoint, hosted.transform)
    sources: list[ModelSource] = []
    for capability in capabilities:
        if isinstance(capability, Waiting):
            return True  # only a followed registry makes a capability wait for a model
        if isinstance(capability, EndpointPlan):
            sources += [v.source for v in capability.fleet]
        elif isinstance(capability, ServerlessPlan | AsyncPlan | TransformPlan):
            sources.append(capability.source)
    return any(s.registry is not None for s in sources)


def share_registries(
    stages: tuple[StagePlan, ...], sources: dict[str, RegistrySource]
) -> tuple[StagePlan, ...]:
    """Give each registry stage, per algorithm, the accounts of the stages that serve
    that algorithm from it: a follower sees only the groups and artifacts it serves."""
    consumers: dict[str, dict[str, set[str]]] = {}
    for stage in stages:
        source = sources[stage.name]
        if source.stage == stage.name or not stage.account or stage.account == source.account:
            continue
        for hosted in stage.hosted:
            if serves_from_registry(hosted):
                algorithm = (
                    hosted.server.artifacts_of if isinstance(hosted, ServerPlan) else hosted.name
                )
                shared = consumers.setdefault(source.stage, {})
                shared.setdefault(algorithm, set()).add(stage.account)
    return tuple(
        replace(
            s,
            registry_consumers=tuple(
                (algorithm, tuple(sorted(accounts)))
                for algorithm, accounts in sorted(consumers[s.name].items())
            ),
        )
        if s.name in consumers
        else s
        for s in stages
    )


def followed(stages: tuple[StagePlan, ...]) -> list[Registry]:
    """Every registry the stages' endpoints follow, each once, in a stable order."""
    found = {
        hosted.registry.context_key: hosted.registry
        for stage in stages
        for hosted in stage.hosted
        if hosted.registry is not None
    }
    return [found[key] for key in sorted(found)]


def route_approvals(
    stages: tuple[StagePlan, ...], pipeline: PipelinePlan | None
) -> tuple[tuple[StagePlan, ...], PipelinePlan | None]:
    """With a pipeline, every followed registry announces approvals to it, and its synth
    step may assume each registry account's lookup role to record them."""
    if pipeline is None:
        return stages, None
    registries = [r for r in followed(stages) if r.account and r.region]
    groups: dict[str, list[str]] = {}
    pipeline_place = (pipeline.account, pipeline.region)
    for registry in registries:
        # A registry in the pipeline's own account and region needs no forwarding: the
        # pipeline's rule sees its events on the same bus (forwarding would loop).
        if (registry.account, registry.region) != pipeline_place:
            groups.setdefault(registry.stage, []).append(registry.group)
    routed = tuple(
        replace(
            stage,
            announces=ApprovalRoute(
                groups=tuple(sorted(groups[stage.name])),
                to_account=pipeline.account,
                to_region=pipeline.region,
            ),
        )
        if stage.name in groups
        else stage
        for stage in stages
    )
    by_account: dict[str, set[str]] = {}
    for registry in registries:
        by_account.setdefault(str(registry.account), set()).add(registry.group)
    roles = {
        LookupRole(
            account=str(r.account),
            region=str(r.region),
            qualifier=r.bootstrap_qualifier or CDK_DEFAULT_QUALIFIER,
        )
        for r in registries
    }
    return routed, replace(
        pipeline,
        approvals_from=tuple((a, tuple(sorted(g))) for a, g in sorted(by_account.items())),
        lookup_roles=tuple(sorted(roles, key=lambda r: (r.account, r.region))),
    )
