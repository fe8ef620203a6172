"""Build the plan from a config: catalog defaults + overrides, every rule checked.

All problems are collected and raised together as one ConfigError, before any
CDK construct exists, so a bad config never half-synthesizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from infra.catalog import ALGORITHM_NAMES, CATALOG
from infra.catalog.model import Algorithm, HostingSpec, Processor
from infra.catalog.sagemaker_api import SAGEMAKER_REGIONS
from infra.catalog.servers import MODEL_SERVER_NAMES, MODEL_SERVERS
from infra.config.stages import AlgorithmConfig, AppConfig, ModelServerConfig, StageConfig
from infra.errors import NO_VALUE, ConfigError, allowed
from infra.images import is_published, published_regions
from infra.plan.async_inference import AsyncPlan, plan_async
from infra.plan.data_plane import plan_fsx, plan_network, plan_retention
from infra.plan.endpoint import EndpointPlan, plan_endpoint
from infra.plan.hosted import AlgorithmPlan, ServerPlan
from infra.plan.issues import Issues
from infra.plan.models import ModelChooser, Waiting, eventually
from infra.plan.monitoring import plan_monitor
from infra.plan.registration import plan_registration
from infra.plan.registries import (
    RegistrySource,
    check_trained,
    own_registry,
    plan_registry_sources,
    route_approvals,
    share_registries,
)
from infra.plan.serial import plan_inference_pipeline
from infra.plan.serial_monitoring import monitor_pipeline
from infra.plan.serverless import ServerlessPlan, plan_serverless
from infra.plan.skipped import Disabled
from infra.plan.stages import (
    AppPlan,
    StagePlan,
    check_collisions,
    check_stage_settings,
    plan_pipeline,
)
from infra.plan.streaming import StreamingStagePlan, UnscoredStream, plan_stage_streaming
from infra.plan.tags import check_user_tags, plan_stage_tags
from infra.plan.training import plan_training
from infra.plan.transform import TransformPlan, plan_transform
from infra.plan.tuning import plan_tuning

NO_RECORDS: Mapping[str, object] = MappingProxyType({})


def build_plan(
    config: AppConfig, source: str, records: Mapping[str, object] = NO_RECORDS
) -> AppPlan:
    """The plan for every stage; raises ConfigError listing every problem found.

    `records` is the CDK context (`cdk.context.json`): the approved model packages
    `python -m infra models refresh` recorded. Without one, endpoints wait.
    """
    issues = Issues()
    sources = plan_registry_sources(config, issues)
    stages = tuple(
        stage
        for name, stage_config in config.stages.items()
        if (
            stage := _plan_stage(
                name, stage_config, f"stages.{name}", sources[name], records, issues
            )
        )
        is not None
    )
    stages = share_registries(stages, sources)
    stages = _tagged(config, stages, issues)
    check_collisions(stages, issues)
    pipeline = plan_pipeline(config.pipeline, stages, issues)
    stages, pipeline = route_approvals(stages, pipeline)
    if issues:
        raise ConfigError(source, issues.items)
    return AppPlan(
        source=source, stages=stages, pipeline=pipeline, tags=tuple(sorted(config.tags.items()))
    )


def _tagged(
    config: AppConfig, stages: tuple[StagePlan, ...], issues: Issues
) -> tuple[StagePlan, ...]:
    """Each stage with its stacks' tags: app, stage, then algorithm level."""
    check_user_tags(config.tags, "tags", issues)
    tagged = []
    for stage in stages:
        stage_config = config.stages[stage.name]
        path = f"stages.{stage.name}"
        check_user_tags(stage_config.tags, f"{path}.tags", issues)
        hosted = {}
        for kind, entries in (
            ("algorithms", stage_config.algorithms),
            ("model_servers", stage_config.model_servers),
        ):
            for name, entry in entries.items():
                check_user_tags(entry.tags, f"{path}.{kind}.{name}.tags", issues)
                hosted[name] = (f"{path}.{kind}.{name}", entry.tags)
        tags = plan_stage_tags(
            stage.name,
            app_tags=config.tags,
            stage_tags=stage_config.tags,
            hosted=hosted,
            path=path,
            issues=issues,
        )
        tagged.append(replace(stage, tags=tags))
    return tuple(tagged)


def _plan_stage(
    name: str,
    config: StageConfig,
    path: str,
    models_from: RegistrySource,
    records: Mapping[str, object],
    issues: Issues,
) -> StagePlan | None:
    check_stage_settings(config, path, issues)
    region = config.region
    if region is not None and region not in SAGEMAKER_REGIONS:
        issues.add(f"{path}.region", region, "not a region where SageMaker runs")
        region = None  # avoid a cascade of "not published" issues

    plans: list[AlgorithmPlan] = []
    for algorithm_name, algorithm_config in config.algorithms.items():
        where = f"{path}.algorithms.{algorithm_name}"
        algorithm = CATALOG.get(algorithm_name)
        if algorithm is None:
            issues.add(where, NO_VALUE, f"unknown algorithm {allowed(ALGORITHM_NAMES)}")
            continue
        if not algorithm_config.enabled:
            continue
        if region is not None and not is_published(algorithm.image, region):
            regions = sorted(published_regions(algorithm.image.registry_group))
            issues.add(
                f"{path}.region",
                region,
                f"{algorithm_name} is not published in this region "
                f"(published in {len(regions)}: {', '.join(regions)})",
            )
        hostable = isinstance(algorithm.hosting, HostingSpec)
        models = ModelChooser(
            registry=models_from.registry(algorithm_name) if hostable else None,
            records=records,
            account=config.account,
            region=config.region,
            # A pipeline serves the approved package's artifact in the catalog image.
            as_artifact=bool(algorithm_config.endpoint.pipeline),
        )
        plan = _plan_algorithm(
            algorithm, algorithm_config, region, config.fsx.enabled, models, where, issues
        )
        if plan is not None and hostable:
            group = own_registry(name, config).registry(algorithm_name).group
            # The endpoint the package will serve on, also while it waits for the first
            # approval: that very package must fit its image and instance type.
            planned = eventually(plan.endpoint)
            endpoint = planned if isinstance(planned, EndpointPlan) else None
            batch = eventually(plan.transform)
            transform = batch if isinstance(batch, TransformPlan) else None
            asynchronous = eventually(plan.async_endpoint)
            served = (
                ((asynchronous.instance_type, asynchronous.processor),)
                if isinstance(asynchronous, AsyncPlan)
                else ()
            )
            plan = replace(
                plan,
                registration=plan_registration(algorithm, group, endpoint, transform, served),
            )
        if plan is not None and any(
            isinstance(serving, Waiting)
            for serving in (plan.endpoint, plan.serverless, plan.transform, plan.async_endpoint)
        ):
            check_trained(name, algorithm_name, models_from, where, issues)
        if plan is not None:
            plans.append(plan)

    servers = []
    for server_name, server_config in config.model_servers.items():
        where = f"{path}.model_servers.{server_name}"
        if server_name not in MODEL_SERVERS:
            issues.add(where, NO_VALUE, f"unknown model server {allowed(MODEL_SERVER_NAMES)}")
        elif server_config.enabled:
            artifacts_of = MODEL_SERVERS[server_name].artifacts_of
            models = ModelChooser(
                registry=models_from.registry(artifacts_of)
                if artifacts_of in models_from.trains and artifacts_of in CATALOG
                else None,
                records=records,
                account=config.account,
                region=config.region,
                as_artifact=True,
                server_of=artifacts_of,
            )
            servers.append(_plan_server(server_name, server_config, models, where, issues))

    streaming = plan_stage_streaming(plans, config.streaming, region, f"{path}.streaming", issues)
    order = {n: i for i, n in enumerate(ALGORITHM_NAMES)}
    network = plan_network(config.network, region, f"{path}.network", issues)
    return StagePlan(
        name=name,
        account=config.account,
        region=config.region,
        ephemeral=config.ephemeral,
        network=network,
        fsx=plan_fsx(config.fsx, network, f"{path}.fsx", issues),
        retention=plan_retention(config.retention),
        algorithms=tuple(sorted(plans, key=lambda p: order[p.name])),
        model_servers=tuple(sorted(servers, key=lambda p: MODEL_SERVER_NAMES.index(p.name))),
        namespace=config.namespace or "",
        production=config.production,
        termination_protection=(
            config.production
            if config.termination_protection is None
            else config.termination_protection
        ),
        bootstrap_qualifier=config.bootstrap_qualifier,
        models_from=config.models_from,
        streaming=streaming if isinstance(streaming, StreamingStagePlan) else None,
        unscored=streaming if isinstance(streaming, UnscoredStream) else None,
    )


def _plan_server(
    name: str, config: ModelServerConfig, models: ModelChooser, path: str, issues: Issues
) -> ServerPlan:
    server = MODEL_SERVERS[name]
    endpoint = plan_endpoint(server, config.endpoint, models, f"{path}.endpoint", issues)
    serverless = plan_serverless(
        server, config.serverless, config.endpoint, models, f"{path}.serverless", issues
    )
    serving = (EndpointPlan, ServerlessPlan, Waiting)
    if not isinstance(endpoint, serving) and not isinstance(serverless, serving):
        issues.add(path, NO_VALUE, f"{name} serves nothing: enable its endpoint or serverless")
    # The image assets the models run: the endpoint's variants' processors, and the
    # CPU image for a serverless endpoint.
    processors = (
        {v.processor for v in endpoint.fleet} if isinstance(endpoint, EndpointPlan) else set()
    )
    if isinstance(serverless, ServerlessPlan):
        processors.add(Processor.CPU)
    return ServerPlan(
        name=name,
        server=server,
        endpoint=endpoint,
        serverless=serverless,
        registry=models.registry,
        image_assets=tuple(sorted(processors)),
    )


def _plan_algorithm(
    algorithm: Algorithm,
    config: AlgorithmConfig,
    region: str | None,
    fsx_available: bool,
    models: ModelChooser,
    path: str,
    issues: Issues,
) -> AlgorithmPlan | None:
    training = plan_training(
        algorithm, config.training, f"{path}.training", issues, fsx_available=fsx_available
    )
    endpoint = plan_endpoint(
        algorithm, config.endpoint, models, f"{path}.endpoint", issues, region=region
    )
    serverless = plan_serverless(
        algorithm, config.serverless, config.endpoint, models, f"{path}.serverless", issues
    )
    realtime = eventually(endpoint)
    if isinstance(realtime, EndpointPlan):
        pipeline = realtime.pipeline
    elif isinstance(endpoint, Disabled) and config.async_inference.enabled:
        # The real-time endpoint is off: its pipeline is planned for the async one here.
        pipeline = plan_inference_pipeline(
            algorithm,
            config.endpoint.pipeline,
            Processor.CPU,
            region,
            f"{path}.endpoint.pipeline",
            issues,
        )
    else:
        pipeline = None
    async_endpoint = plan_async(
        algorithm,
        config.async_inference,
        config.endpoint,
        pipeline,
        models,
        f"{path}.async",
        issues,
    )
    if training is None:
        return None
    tuning = plan_tuning(algorithm, config.tuning, training, f"{path}.tuning", issues)
    monitor = plan_monitor(
        algorithm, config.monitoring, endpoint, training, region, f"{path}.monitoring", issues
    )
    monitor = monitor_pipeline(
        monitor, pipeline, config.monitoring.enabled, f"{path}.monitoring", issues
    )
    transform = plan_transform(
        algorithm,
        config.transform,
        config.endpoint,
        models,
        f"{path}.transform",
        issues,
        pipeline=pipeline,
    )
    return AlgorithmPlan(
        name=algorithm.name,
        algorithm=algorithm,
        training=training,
        tuning=tuning,
        endpoint=endpoint,
        serverless=serverless,
        monitor=monitor,
        registry=models.registry,
        transform=transform,
        async_endpoint=async_endpoint,
    )
