"""The plan: frozen, plain data that says what each stage deploys and why.

Constructs render plans; they do not decide. A capability an algorithm cannot
have is `NotSupported(reason)`; one the config switched off is `DISABLED`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from infra.catalog.instances import has_local_storage
from infra.catalog.model import (
    Algorithm,
    ImageSpec,
    InputMode,
    NotSupported,
    ProblemType,
    Processor,
    S3Distribution,
)
from infra.catalog.servers import ModelServer
from infra.catalog.tuning import MetricSpec, ParameterRange
from infra.plan.models import ModelAccess, ModelSource, Registry, Waiting
from infra.plan.registration import RegistrationPlan
from infra.prefixes import ArtifactsPrefix


@dataclass(frozen=True, slots=True)
class Disabled:
    """Switched off in config."""

    reason: str = "off in config"


DISABLED = Disabled()

Skipped = NotSupported | Disabled | Waiting


@dataclass(frozen=True, slots=True)
class ChannelPlan:
    name: str
    required: bool
    content_type: str | None
    distribution: S3Distribution
    input_mode: InputMode
    from_file_system: bool = False  # FSx for Lustre instead of S3
    incremental: bool = False  # the `model` channel: an earlier model.tar.gz
    compression: str = "None"  # "Gzip" on Pipe-mode data channels


class DataSource(StrEnum):
    S3 = "s3"
    FSX = "fsx"


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


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    instance_type: str
    instance_count: int
    processor: Processor
    image: ImageSpec  # the framework's (reinforcement learning), else the algorithm's
    content_type: str | None  # None: the algorithm reads no training data format
    input_mode: InputMode
    hyperparameters: tuple[tuple[str, str], ...]  # sorted by name; API values are strings
    channels: tuple[ChannelPlan, ...]
    # Whether the job may name our KMS key for its volume (not on local storage).
    encrypt_volume: bool
    # Encrypted traffic between instances, wherever the algorithm can run on several.
    inter_container_encryption: bool
    # FSx for Lustre is single-AZ: a job reading it runs in the file system's subnet only.
    in_file_system_subnet: bool
    # The catalog's: every built-in trains isolated; the RL containers cannot.
    network_isolation: bool
    # Channels the config did not pin; tuning may add its objective's channel.
    optional_channels: tuple[ChannelPlan, ...] = ()
    channels_pinned: bool = False
    data_source: DataSource = DataSource.S3
    volume_size_gb: int = 50
    max_runtime_seconds: int = 86400
    spot: SpotPlan | None = None
    incremental_from: str | None = None
    framework: FrameworkPlan | None = None
    # Hyperparameters that describe the dataset: pipeline parameters, set per run.
    data_dependent: tuple[str, ...] = ()
    schedule: str | None = None

    @property
    def hyperparameter_map(self) -> dict[str, str]:
        return dict(self.hyperparameters)

    @property
    def distributed(self) -> bool:
        return self.instance_count > 1


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


@dataclass(frozen=True, slots=True)
class VariantPlan:
    name: str
    source: ModelSource
    instance_type: str
    processor: Processor
    initial_count: int
    weight: float


@dataclass(frozen=True, slots=True)
class ScalingPlan:
    min_instances: int
    max_instances: int
    target_invocations_per_instance: int  # per minute, per instance
    utilization_metric: str | None  # CPUUtilization or GPUUtilization
    utilization_target_percent: int | None
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int


@dataclass(frozen=True, slots=True)
class DeploymentPlan:
    traffic: str  # CANARY, LINEAR or ALL_AT_ONCE
    step_percent: int | None  # canary size or linear step, percent of capacity
    baking_seconds: int
    termination_wait_seconds: int
    max_execution_seconds: int
    rollback_model_latency_ms: int
    rollback_5xx_errors: int


@dataclass(frozen=True, slots=True)
class ApiPlan:
    throttle_rate_per_second: int
    throttle_burst: int
    # What callers may send (the model's request content types); the rest is binary.
    request_content_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HostingImage:
    """The container a hosted model runs, unless it is a model package (which names its own).

    A built-in algorithm runs its catalog image (`catalog`); a custom server runs
    this project's image asset built from containers/ for the model's processor
    (`catalog` None).
    """

    catalog: ImageSpec | None
    environment: tuple[tuple[str, str], ...] = ()


MAIN_VARIANT = "AllTraffic"


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    variants: tuple[VariantPlan, ...]  # the main variant (AllTraffic) first
    scaling: ScalingPlan  # the main variant's instance counts
    deployment: DeploymentPlan
    image: HostingImage
    shadow: VariantPlan | None = None
    api: ApiPlan | None = None

    @property
    def instance_type(self) -> str:
        return self.main.instance_type

    @property
    def processor(self) -> Processor:
        return self.main.processor

    @property
    def min_instances(self) -> int:
        return self.scaling.min_instances

    @property
    def max_instances(self) -> int:
        return self.scaling.max_instances

    @property
    def main(self) -> VariantPlan:
        return self.variants[0]

    @property
    def fleet(self) -> tuple[VariantPlan, ...]:
        """Every variant the endpoint runs: the production ones, then the shadow."""
        return (*self.variants, *((self.shadow,) if self.shadow else ()))

    @property
    def encrypt_volume(self) -> bool:
        """A KMS key for the ML storage volume, unless any variant has local storage."""
        return not any(has_local_storage(v.instance_type) for v in self.fleet)

    @property
    def name_digest(self) -> str:
        """Changes when an instance type changes: a new endpoint replaces the old one."""
        text = ",".join(f"{v.name}={v.instance_type}" for v in self.fleet)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


@dataclass(frozen=True, slots=True)
class ServerlessPlan:
    source: ModelSource
    image: HostingImage  # on a CPU: serverless endpoints have no GPUs
    memory_mb: int
    max_concurrency: int
    provisioned_concurrency: int | None


@dataclass(frozen=True, slots=True)
class ModelQualityPlan:
    problem_type: ProblemType
    inference_attribute: str
    probability_attribute: str | None
    probability_threshold: float | None
    # Where labels are uploaded: the config's URI, or monitoring/<algorithm>/ground-truth/.
    ground_truth: str | ArtifactsPrefix
    alarm: tuple[str, float, bool] | None  # metric, threshold, alarm when below

    def __str__(self) -> str:
        return self.problem_type.value


SCHEDULE_EXPRESSIONS = {"hourly": "cron(0 * ? * * *)", "daily": "cron(0 0 ? * * *)"}


@dataclass(frozen=True, slots=True)
class MonitorPlan:
    schedule: str  # hourly or daily
    capture_content_type: str
    model_quality: ModelQualityPlan | Skipped
    # Whether the jobs may name our KMS key for their volumes (not on local storage).
    encrypt_volume: bool
    sampling_percent: int = 20
    instance_type: str = "ml.m5.xlarge"
    baseline_ready: bool = False
    # Job definitions and schedules exist only once the endpoint and the baseline
    # they read do; until then, what they wait for.
    schedules: Waiting | None = None
    # CSV baseline data; None: the train channel (unsupervised CSV training) or the
    # data bucket's training/<algorithm>/baseline/.
    baseline_uri: str | None = None
    baseline_from_train_channel: bool = False

    @property
    def schedule_expression(self) -> str:
        return SCHEDULE_EXPRESSIONS[self.schedule]


@dataclass(frozen=True, slots=True)
class StreamingPlan:
    """This algorithm's real-time endpoint scores the stage's Kinesis stream."""

    endpoint_instance_type: str
    stream_mode: str = "on-demand"
    shards: int | None = None  # provisioned only
    retention_hours: int = 24
    feature_format: str = "json"
    feature_fields: tuple[str, ...] = ("value",)  # json
    feature_columns: tuple[int, ...] = ()  # csv
    threshold_fixed: float | None = None
    threshold_k: float = 3.0
    score_mean: float = 1.0
    score_std: float = 0.5
    memory_mb: int = 512
    timeout_seconds: int = 60
    reserved_concurrency: int | None = None
    batch_size: int = 1000
    batching_window_seconds: int = 1
    parallelization_factor: int = 1
    starting_position: str = "LATEST"
    retry_attempts: int = 3
    max_record_age_seconds: int = 3600
    anomalies: str = "eventbridge"

    @property
    def threshold(self) -> float:
        """A score above this is an anomaly: fixed, or mean + k·std of the model's scores."""
        if self.threshold_fixed is not None:
            return self.threshold_fixed
        return self.score_mean + self.threshold_k * self.score_std


@dataclass(frozen=True, slots=True)
class StreamingStagePlan:
    """The stage's stream, scored by one algorithm's real-time endpoint."""

    scorer: str  # the algorithm whose stack holds the endpoint
    # The scorer's EndpointPlan.name_digest: with the stage prefix and the scorer, the
    # endpoint's name (the scorer names the endpoint, it does not reference it).
    endpoint_digest: str
    plan: StreamingPlan


@dataclass(frozen=True, slots=True)
class UnscoredStream:
    """The algorithm picked to score the stream, and why it does not: its endpoint waits
    for a model (`Waiting`, planned: the StreamingStagePlan), or streaming is off."""

    scorer: str
    reason: Skipped


@dataclass(frozen=True, slots=True)
class AlgorithmPlan:
    name: str
    algorithm: Algorithm
    training: TrainingPlan
    tuning: TuningPlan | Skipped
    endpoint: EndpointPlan | Skipped
    serverless: ServerlessPlan | Skipped
    monitor: MonitorPlan | Skipped
    # The group the endpoints follow (None: pinned, or not hostable).
    registry: Registry | None = None
    # What this stage's pipelines register trained models as (None: not hostable).
    registration: RegistrationPlan | None = None

    @property
    def model_package_group(self) -> str | None:
        """The group this stage's pipelines register models into (None: not hostable)."""
        return self.registration.group if self.registration is not None else None

    @property
    def model_access(self) -> ModelAccess:
        return _model_access(self.endpoint, self.serverless)


@dataclass(frozen=True, slots=True)
class ServerPlan:
    """A custom model server in a stage: the same endpoints as an algorithm, no training."""

    name: str
    server: ModelServer
    endpoint: EndpointPlan | Skipped
    serverless: ServerlessPlan | Skipped
    registry: Registry | None = None
    # The server's image assets (by processor) its models run: the model role pulls them.
    image_assets: tuple[Processor, ...] = ()

    @property
    def model_access(self) -> ModelAccess:
        return _model_access(self.endpoint, self.serverless)


def _model_access(
    endpoint: EndpointPlan | Skipped, serverless: ServerlessPlan | Skipped
) -> ModelAccess:
    fleet = endpoint.fleet if isinstance(endpoint, EndpointPlan) else ()
    extra = (serverless.source,) if isinstance(serverless, ServerlessPlan) else ()
    return ModelAccess.of((*(v.source for v in fleet), *extra))


HostedPlan = AlgorithmPlan | ServerPlan
"""What the hosting constructs serve: a built-in algorithm or a custom server."""


@dataclass(frozen=True, slots=True)
class FsxPlan:
    deployment_type: str
    storage_capacity_gib: int
    per_unit_storage_throughput: int | None
    subnet_id: str | None  # in an imported VPC; None: the network's first subnet


@dataclass(frozen=True, slots=True)
class SubnetPlan:
    id: str
    availability_zone: str
    route_table_id: str | None


@dataclass(frozen=True, slots=True)
class NetworkPlan:
    """The stage's VPC: created (`imported_vpc_id` None) or imported from ids."""

    cidr: str
    imported_vpc_id: str | None = None
    subnets: tuple[SubnetPlan, ...] = ()  # imported subnets only
    endpoints: bool = True
    flow_logs: bool = True


CREATED_NETWORK_CIDR = "10.40.0.0/16"


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    noncurrent_versions_days: int
    capture_days: int
    monitoring_reports_days: int
    access_logs_days: int  # the buckets' server access logs
    # Every CloudWatch log group of the stage: VPC flow logs, API access logs, the
    # stream scorer's logs (config key `retention.flow_logs_days`).
    logs_days: int


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
