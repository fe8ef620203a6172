"""Decisions across stages: where each deploys, name collisions, the delivery pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from infra.catalog.sagemaker_api import SAGEMAKER_REGIONS
from infra.config.pipeline import PipelineConfig
from infra.config.stages import StageConfig
from infra.errors import NO_VALUE
from infra.names import PIPELINE_STACK_ID, partition_of, physical_name
from infra.plan.data_plane import FsxPlan, NetworkPlan, RetentionPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosted import AlgorithmPlan, HostedPlan, ServerPlan
from infra.plan.issues import Issues
from infra.plan.models import eventually
from infra.plan.skipped import Disabled
from infra.plan.streaming import StreamingStagePlan, UnscoredStream
from infra.plan.tags import NO_TAGS, StageTags, Tags


@dataclass(frozen=True, slots=True)
class ApprovalRoute:
    """Model package approvals (and rejections) of a registry stage's groups, sent to
    the delivery pipeline's account and region, where they start the pipeline."""

    groups: tuple[str, ...]
    to_account: str
    to_region: str


@dataclass(frozen=True, slots=True)
class LookupRole:
    """A registry account's CDK lookup role, which the pipeline's synth step assumes to
    record the newest approved packages (`models refresh`)."""

    account: str
    region: str
    qualifier: str


@dataclass(frozen=True, slots=True)
class StagePlan:
    name: str
    account: str | None
    region: str | None
    ephemeral: bool  # destroy data with the stack instead of retaining it
    network: NetworkPlan
    fsx: FsxPlan | Disabled
    retention: RetentionPlan
    algorithms: tuple[AlgorithmPlan, ...]
    model_servers: tuple[ServerPlan, ...] = ()
    namespace: str = ""  # prefix of stack and physical names; "" means the stage's name
    production: bool = False  # manual approval before the pipeline deploys it
    termination_protection: bool = False
    bootstrap_qualifier: str | None = None  # None: the CDK's default qualifier
    # The stage whose registry the endpoints follow (None: this stage's own).
    models_from: str | None = None
    # Accounts whose stages follow this stage's registry: they may read its model
    # packages, their artifacts and the key that encrypts them.
    registry_consumers: tuple[str, ...] = ()
    # With a delivery pipeline: approvals in these groups of this stage's registry
    # start it (forwarded to the pipeline account's default event bus).
    announces: ApprovalRoute | None = None
    # The stream and its scorer (None: no stream); when the scorer picked does not
    # score it (yet), `unscored` says which and why.
    streaming: StreamingStagePlan | None = None
    unscored: UnscoredStream | None = None
    # Cost allocation tags per stack (infra.plan.tags).
    tags: StageTags = NO_TAGS

    @property
    def prefix(self) -> str:
        """What stack names and physical names of this stage start with."""
        return self.namespace or self.name

    def stack_name(self, construct_id: str) -> str:
        return f"{self.prefix}-{construct_id}"

    @property
    def hosted(self) -> tuple[HostedPlan, ...]:
        """Everything with endpoints: algorithms, then custom servers."""
        return (*self.algorithms, *self.model_servers)


@dataclass(frozen=True, slots=True)
class PipelinePlan:
    """CDK Pipelines in the tooling account: one wave per stage, in config order."""

    name: str
    account: str
    region: str
    connection_arn: str
    repository: str
    branch: str
    bootstrap_qualifier: str | None
    noncurrent_versions_days: int  # artifact and replication buckets
    access_logs_days: int
    # Registries whose approvals start the pipeline: (account, groups) per account.
    approvals_from: tuple[tuple[str, tuple[str, ...]], ...] = ()
    lookup_roles: tuple[LookupRole, ...] = ()


@dataclass(frozen=True, slots=True)
class AppPlan:
    source: str
    stages: tuple[StagePlan, ...]
    pipeline: PipelinePlan | None = None
    # The app-level user tags: every resource of the app carries them.
    tags: Tags = ()


def check_stage_settings(config: StageConfig, path: str, issues: Issues) -> None:
    """Settings of one stage that contradict each other."""
    if config.production and config.ephemeral:
        issues.add(
            f"{path}.ephemeral",
            True,
            "a production stage retains its data: ephemeral must be false",
        )
    if config.production and config.termination_protection is False:
        issues.add(
            f"{path}.termination_protection",
            False,
            "a production stage keeps termination protection on",
        )


def _overlap(a: str | None, b: str | None) -> bool:
    """True when two stages may land in the same place (unset deploys anywhere)."""
    return a is None or b is None or a == b


def _has_api(stage: StagePlan) -> bool:
    """An API now, or once the endpoint's model is approved."""
    return any(
        isinstance(endpoint := eventually(hosted.endpoint), EndpointPlan)
        and endpoint.api is not None
        for hosted in stage.hosted
    )


def check_collisions(stages: tuple[StagePlan, ...], issues: Issues) -> None:
    """Two stages that may share an account and region need different namespaces.

    Their stack names and physical names (endpoints, pipelines, schedules …)
    start with the namespace, so the same one in the same place collides. Case
    is ignored: physical names are lowercased.
    """
    for first, second in combinations(stages, 2):
        same_place = _overlap(first.account, second.account) and _overlap(
            first.region, second.region
        )
        if same_place and _has_api(first) and _has_api(second):
            issues.add(
                f"stages.{second.name}",
                NO_VALUE,
                f"stage {first.name} may deploy to the same account and region and also has an "
                "API front door: API Gateway's logging role is one per account and region "
                "(enable endpoint APIs in one of the two stages)",
            )
        # Physical names fold case and runs of hyphens (infra.names.physical_name).
        if same_place and physical_name(first.prefix, None, "x") == physical_name(
            second.prefix, None, "x"
        ):
            where = "account and region" if first.account and first.region else "place"
            issues.add(
                f"stages.{second.name}.namespace",
                second.prefix,
                f"stage {first.name} may deploy to the same {where} with the same namespace: "
                "their stack and physical names would collide (set a different namespace)",
            )


def plan_pipeline(
    config: PipelineConfig | None, stages: tuple[StagePlan, ...], issues: Issues
) -> PipelinePlan | None:
    if config is None:
        return None
    if config.region not in SAGEMAKER_REGIONS:
        issues.add("pipeline.region", config.region, "not an AWS region this project knows")
    for stage in stages:
        # One construct id per app child: the stage's name, or the pipeline's stack id.
        if stage.name in (PIPELINE_STACK_ID,) or stage.name.startswith("cross-region-stack"):
            issues.add(
                f"stages.{stage.name}",
                NO_VALUE,
                f"a stage cannot be named like the delivery pipeline's stack "
                f"({PIPELINE_STACK_ID}); rename the stage",
            )
    for stage in stages:
        if stage.region and partition_of(stage.region) != partition_of(config.region):
            issues.add(
                f"stages.{stage.name}.region",
                stage.region,
                f"is in the {partition_of(stage.region)} partition; the pipeline in "
                f"{config.region} ({partition_of(config.region)}) cannot deploy across "
                "partitions",
            )
        if stage.account is None or stage.region is None:
            issues.add(
                f"stages.{stage.name}",
                NO_VALUE,
                "a stage the delivery pipeline deploys names its account and region",
            )
    return PipelinePlan(
        name=config.name,
        account=config.account,
        region=config.region,
        connection_arn=config.connection_arn,
        repository=config.repository,
        branch=config.branch,
        bootstrap_qualifier=config.bootstrap_qualifier,
        noncurrent_versions_days=config.retention.noncurrent_versions_days,
        access_logs_days=config.retention.access_logs_days,
    )
