"""The stage configuration schema: what the user wrote, nothing more.

Structure, types and plain bounds are checked here; everything that needs the
catalog (does this algorithm take that content type, that instance type, …) is
checked by `infra.plan`. `None` means "not set": the plan fills in the catalog
default and decides whether the capability applies.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Network
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from infra.catalog.limits import (
    LAMBDA_DEFAULT_CONCURRENCY,
    LAMBDA_MIN_UNRESERVED_CONCURRENCY,
    MAX_RUNTIME_SECONDS,
    SERVERLESS_MAX_CONCURRENCY,
    SERVERLESS_MEMORY_SIZES_MB,
    TUNING_MAX_JOBS,
    TUNING_MAX_PARALLEL_JOBS,
    TUNING_MAX_WARM_START_PARENTS,
    TUNING_STRATEGIES,
)
from infra.catalog.model import Direction, InputMode

HyperparameterValue = Annotated[str | int | float | bool, Field(union_mode="left_to_right")]
StageName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,19}$")]
TuningStrategy = Literal[TUNING_STRATEGIES]  # type: ignore[valid-type]
MonitoringSchedule = Literal["hourly", "daily"]
InputModeName = Literal[tuple(mode.value for mode in InputMode)]  # type: ignore[misc]
DirectionName = Literal[tuple(direction.value for direction in Direction)]  # type: ignore[misc]


S3Uri = Annotated[str, Field(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")]
# An object: a bucket alone, or a prefix ending in "/", is no model or tarball.
S3ObjectUri = Annotated[str, Field(pattern=r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S*[^/\s]$")]


def _schedule_expression(expression: str) -> str:
    """EventBridge Scheduler's own rules, beyond the pattern (Scheduler user guide,
    "Schedule types"): a rate's value is positive, singular units for 1 and plural ones
    for more; a cron gives day-of-month or day-of-week, the other is `?`."""
    if expression.startswith("rate("):
        value, unit = expression[5:-1].split(" ")
        if int(value) < 1:
            raise ValueError("a rate must be at least 1")
        if (int(value) == 1) == unit.endswith("s"):
            want = unit.rstrip("s") if int(value) == 1 else f"{unit}s"
            raise ValueError(f"write rate({value} {want})")
    else:
        fields = expression[5:-1].split(" ")
        day_of_month, day_of_week = fields[2], fields[4]
        if (day_of_month == "?") == (day_of_week == "?"):
            raise ValueError("give day-of-month or day-of-week, and ? in the other")
    return expression


# EventBridge Scheduler expressions (rate or cron); at() one-offs make no sense here.
ScheduleExpression = Annotated[
    str,
    Field(pattern=r"^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$"),
    AfterValidator(_schedule_expression),
]


def _metric_regex(pattern: str) -> str:
    """A metric definition's regex: it must compile and capture the value (SageMaker
    reads the metric from the first group; API MetricDefinition.Regex)."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None
    if compiled.groups < 1:
        raise ValueError("needs a group that captures the value, e.g. loss: ([0-9.]+)")
    return pattern


MetricRegex = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_metric_regex)]


def _inside(path: str) -> str:
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError("must be a relative path inside the source tarball (no leading / or ..)")
    return path


# A file inside a source tarball: relative, never climbing out of it.
RelativePath = Annotated[str, Field(pattern=r"^\S+$"), AfterValidator(_inside)]


class _Strict(BaseModel):
    # strict: YAML gives real types, so "2" for a count or 123456789012 for an
    # account id (which would lose leading zeros) is a mistake worth reporting.
    # No .nan or .inf where a number is expected: no AWS limit or setting takes them.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class TrainingConfig(_Strict):
    """Overrides for the training job definition."""

    instance_type: str | None = None
    instance_count: Annotated[int, Field(ge=1, le=100)] | None = None
    content_type: str | None = None
    input_mode: InputModeName | None = None
    hyperparameters: dict[str, HyperparameterValue] = Field(default_factory=dict)
    # Gzip-compressed data channels: Pipe mode only (File mode reads files as they are).
    compression: Literal["None", "Gzip"] = "None"
    # Unset: FSx for file-based (image) data when the stage has FSx, else S3.
    data_source: Literal["s3", "fsx"] | None = None
    # Channels to feed; unset: the required ones (tuning adds its metric's channel).
    channels: list[str] | None = None
    volume_size_gb: Annotated[int, Field(ge=1, le=16384)] = 50
    max_runtime_seconds: Annotated[int, Field(ge=1, le=MAX_RUNTIME_SECONDS)] = 86400
    # Managed spot; unset: on for algorithms that checkpoint, off for the others.
    spot: bool | None = None
    max_wait_seconds: Annotated[int, Field(ge=1)] | None = None
    # A model.tar.gz from an earlier run: incremental training (image algorithms).
    incremental_from: S3ObjectUri | None = None
    # Frameworks (reinforcement learning): which framework image, and the entry
    # point inside source_uri's tarball.
    framework: str | None = None
    entry_point: RelativePath | None = None
    source_uri: S3ObjectUri | None = None
    schedule: ScheduleExpression | None = None


class RangeConfig(_Strict):
    """A tuning range: `min` and `max` for numbers, or `values` for categories."""

    min: int | float | None = None
    max: int | float | None = None
    values: Annotated[list[str], Field(min_length=1, max_length=30)] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> RangeConfig:
        numeric = self.min is not None and self.max is not None
        if numeric == (self.values is not None) or (self.min is None) != (self.max is None):
            raise ValueError("give either min and max, or values")
        if numeric and self.min > self.max:  # type: ignore[operator]
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class TuningConfig(_Strict):
    """Overrides for the hyperparameter tuning definition."""

    enabled: bool | None = None
    objective: str | None = None
    strategy: TuningStrategy = "Bayesian"
    max_jobs: Annotated[int, Field(ge=1, le=TUNING_MAX_JOBS)] = 10
    max_parallel_jobs: Annotated[int, Field(ge=1, le=TUNING_MAX_PARALLEL_JOBS)] = 2
    ranges: dict[str, RangeConfig] | None = None
    # Only for algorithms without built-in metrics (reinforcement learning):
    # metric name -> regex over the training log, and the objective's direction.
    metric_definitions: dict[str, MetricRegex] | None = None
    direction: DirectionName | None = None
    # Parent tuning jobs to warm-start from.
    warm_start_from: (
        Annotated[list[str], Field(max_length=TUNING_MAX_WARM_START_PARENTS)] | None
    ) = None
    schedule: ScheduleExpression | None = None


ModelPackageArn = Annotated[
    str, Field(pattern=r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package/\S+$")
]
VariantName = Annotated[str, Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]


class VariantConfig(_Strict):
    """Another model beside the main one: an A/B variant or a shadow."""

    name: VariantName
    model_uri: S3ObjectUri | None = None
    model_package_arn: ModelPackageArn | None = None
    instance_type: str | None = None
    instance_count: Annotated[int, Field(ge=1)] = 1
    # Share of live traffic relative to the main variant's weight of 1 (A/B only).
    weight: Annotated[float, Field(gt=0, le=1000)] = 1.0


class DeploymentConfig(_Strict):
    """Blue/green updates with traffic shifting, baking and auto-rollback (facts §14)."""

    traffic: Literal["CANARY", "LINEAR", "ALL_AT_ONCE"] = "CANARY"
    # CanarySize is at most 50 % of the fleet; LinearStepSize 10-50 %.
    canary_percent: Annotated[int, Field(ge=1, le=50)] = 10
    linear_step_percent: Annotated[int, Field(ge=10, le=50)] = 20
    baking_seconds: Annotated[int, Field(ge=0, le=3600)] = 600
    termination_wait_seconds: Annotated[int, Field(ge=0, le=3600)] = 300
    max_execution_seconds: Annotated[int, Field(ge=600, le=28800)] | None = None
    # Roll back when the new fleet's average model latency or 5XX count goes above these.
    rollback_model_latency_ms: Annotated[int, Field(ge=1)] = 1000
    rollback_5xx_errors: Annotated[int, Field(ge=1)] = 1


class ApiConfig(_Strict):
    """An API Gateway REST API with IAM auth in front of the endpoint."""

    enabled: bool = False
    throttle_rate_per_second: Annotated[int, Field(ge=1, le=10000)] = 100
    throttle_burst: Annotated[int, Field(ge=1, le=5000)] = 200


class EndpointConfig(_Strict):
    """Overrides for the autoscaled real-time endpoint."""

    enabled: bool | None = None
    instance_type: str | None = None
    min_instances: Annotated[int, Field(ge=1)] = 1
    max_instances: Annotated[int, Field(ge=1)] = 2
    # Pin the model: an S3 artifact or a model package. Unset: the newest approved
    # package of the registry, as recorded by `python -m infra models refresh`.
    model_uri: S3ObjectUri | None = None
    model_package_arn: ModelPackageArn | None = None
    # Target tracking on invocations per instance (per minute): give the target, or
    # the instance's measured maximum requests per second and a safety factor.
    target_invocations_per_instance: Annotated[int, Field(ge=1)] | None = None
    max_rps_per_instance: Annotated[float, Field(gt=0)] | None = None
    safety_factor: Annotated[float, Field(gt=0, le=1)] = 0.5
    # Optional second policy on CPU (GPU on GPU instances) utilization, percent.
    utilization_target_percent: Annotated[int, Field(ge=1, le=100)] | None = None
    scale_in_cooldown_seconds: Annotated[int, Field(ge=0, le=3600)] = 600
    scale_out_cooldown_seconds: Annotated[int, Field(ge=0, le=3600)] = 60
    deployment: DeploymentConfig = DeploymentConfig()
    variants: list[VariantConfig] = Field(default_factory=list, max_length=9)
    shadow: VariantConfig | None = None
    api: ApiConfig = ApiConfig()


class ServerlessConfig(_Strict):
    """Overrides for the serverless endpoint (limits: facts §11)."""

    enabled: bool | None = None
    # Pin its own model; unset: the real-time endpoint's (pinned or followed).
    model_uri: S3ObjectUri | None = None
    model_package_arn: ModelPackageArn | None = None
    memory_mb: Literal[SERVERLESS_MEMORY_SIZES_MB] = 2048  # type: ignore[valid-type]
    max_concurrency: Annotated[int, Field(ge=1, le=SERVERLESS_MAX_CONCURRENCY)] = 10
    provisioned_concurrency: Annotated[int, Field(ge=1, le=SERVERLESS_MAX_CONCURRENCY)] | None = (
        None
    )


class ModelQualityConfig(_Strict):
    """Model-quality monitoring of a supervised algorithm against ground truth."""

    enabled: bool | None = None
    # Where the prediction (and its probability) sits in the captured response;
    # unset: the catalog's default for the algorithm's response format.
    inference_attribute: str | None = None
    probability_attribute: str | None = None
    probability_threshold: Annotated[float, Field(ge=0, le=1)] | None = None
    # Labels you upload, keyed by inference id; unset: monitoring/<algorithm>/ground-truth/.
    ground_truth_uri: S3Uri | None = None
    # Alarm when this model-quality metric crosses the threshold (e.g. f1 below 0.8).
    alarm_metric: str | None = None
    alarm_threshold: float | None = None


class MonitoringConfig(_Strict):
    """Overrides for Model Monitor on the real-time endpoint."""

    enabled: bool | None = None
    # AWS's most frequent schedule is hourly.
    schedule: MonitoringSchedule = "daily"
    sampling_percent: Annotated[int, Field(ge=1, le=100)] = 20
    instance_type: str = "ml.m5.xlarge"
    # The baseline step writes statistics and constraints; schedules stay stopped
    # (a visible state, not hourly failures) until you say it has run.
    baseline_ready: bool = False
    # CSV without header or label, in request column order; unset: see README.
    baseline_uri: S3Uri | None = None
    model_quality: ModelQualityConfig = ModelQualityConfig()


class AlgorithmConfig(_Strict):
    """One algorithm in a stage; every section is optional."""

    enabled: bool = True
    training: TrainingConfig = TrainingConfig()
    tuning: TuningConfig = TuningConfig()
    endpoint: EndpointConfig = EndpointConfig()
    serverless: ServerlessConfig = ServerlessConfig()
    monitoring: MonitoringConfig = MonitoringConfig()


class ModelServerConfig(_Strict):
    """One custom model server (containers/) in a stage: hosting only, no training."""

    enabled: bool = True
    endpoint: EndpointConfig = EndpointConfig()
    serverless: ServerlessConfig = ServerlessConfig()


class SubnetConfig(_Strict):
    """One private subnet of an imported VPC."""

    id: Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]
    availability_zone: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$")]
    # Needed for the S3 gateway endpoint when `endpoints` is true.
    route_table_id: Annotated[str, Field(pattern=r"^rtb-[0-9a-f]{8,17}$")] | None = None


class NetworkConfig(_Strict):
    """An existing VPC to use instead of creating one (ids only: no lookups at synth)."""

    vpc_id: Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$")]
    cidr: Annotated[IPv4Network, Field(strict=False)]  # parsed from "10.0.0.0/16"
    subnets: list[SubnetConfig]
    # Create the S3 gateway and interface endpoints (false if the VPC has them).
    endpoints: bool = True
    flow_logs: bool = True


class FsxConfig(_Strict):
    """FSx for Lustre for training data, linked to the stage's data bucket.

    SCRATCH_2 and PERSISTENT_2 are the deployment types AWS's SageMaker samples use
    (facts §13); capacity and throughput rules are checked by the plan.
    """

    enabled: bool = True
    deployment_type: Literal["SCRATCH_2", "PERSISTENT_2"] = "SCRATCH_2"
    storage_capacity_gib: Annotated[int, Field(ge=1)] = 1200
    # MB/s per TiB; PERSISTENT_2 only (125, 250, 500 or 1000).
    per_unit_storage_throughput: int | None = None
    # With an imported VPC: which of its subnets holds the file system (default: the first).
    subnet_id: str | None = None


class BucketRetentionConfig(_Strict):
    """How long a versioned, access-logged bucket keeps superseded versions and logs (days)."""

    noncurrent_versions_days: Annotated[int, Field(ge=1)] = 30
    access_logs_days: Annotated[int, Field(ge=1)] = 365


class RetentionConfig(BucketRetentionConfig):
    """How long the stage's buckets keep what ages out (days)."""

    capture_days: Annotated[int, Field(ge=1)] = 30
    monitoring_reports_days: Annotated[int, Field(ge=1)] = 90
    flow_logs_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731] = 90


class StreamConfig(_Strict):
    """The Kinesis data stream records arrive on."""

    mode: Literal["on-demand", "provisioned"] = "on-demand"
    shards: Annotated[int, Field(ge=1, le=500)] = 1  # provisioned only
    retention_hours: Annotated[int, Field(ge=24, le=8760)] = 24


class FeaturesConfig(_Strict):
    """Where each record's features are: JSON fields, or CSV column indexes."""

    format: Literal["json", "csv"] = "json"
    fields: Annotated[list[str], Field(min_length=1)] | None = None
    columns: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1)] | None = None


class ThresholdConfig(_Strict):
    """An anomaly is a score above `fixed`, or above mean + k·std of the model's scores."""

    fixed: Annotated[float, Field(gt=0)] | None = None
    k: Annotated[float, Field(gt=0)] = 3.0
    # The model's score distribution (e.g. from scoring its training data).
    mean: Annotated[float, Field(ge=0)] = 1.0
    std: Annotated[float, Field(ge=0)] = 0.5


class ScorerConfig(_Strict):
    """The Lambda and its Kinesis event source mapping."""

    memory_mb: Annotated[int, Field(ge=128, le=10240)] = 512
    timeout_seconds: Annotated[int, Field(ge=10, le=900)] = 60
    # Unset (the default): the scorer shares the account's unreserved concurrency. New
    # accounts may hold as few as 10, all of which Lambda keeps unreserved, so any
    # reservation fails there (`python -m infra preflight` checks the account).
    reserved_concurrency: (
        Annotated[
            int, Field(ge=1, le=LAMBDA_DEFAULT_CONCURRENCY - LAMBDA_MIN_UNRESERVED_CONCURRENCY)
        ]
        | None
    ) = None
    batch_size: Annotated[int, Field(ge=1, le=10000)] = 1000
    batching_window_seconds: Annotated[int, Field(ge=0, le=300)] = 1
    parallelization_factor: Annotated[int, Field(ge=1, le=10)] = 1
    starting_position: Literal["LATEST", "TRIM_HORIZON"] = "LATEST"
    # AWS's defaults are infinite: one poison record would block a shard for a week.
    retry_attempts: Annotated[int, Field(ge=0, le=100)] = 3
    max_record_age_seconds: Annotated[int, Field(ge=60, le=604800)] = 3600


class StreamingConfig(_Strict):
    """Kinesis → Lambda → Random Cut Forest anomaly scoring.

    Unset: on when the stage hosts an algorithm that can score streams.
    """

    enabled: bool | None = None
    stream: StreamConfig = StreamConfig()
    features: FeaturesConfig = FeaturesConfig()
    threshold: ThresholdConfig = ThresholdConfig()
    scorer: ScorerConfig = ScorerConfig()
    # Where anomalies go: an EventBridge bus or a second Kinesis stream.
    anomalies: Literal["eventbridge", "kinesis"] = "eventbridge"


AccountId = Annotated[str, Field(pattern=r"^\d{12}$")]
# `cdk bootstrap --qualifier`: it names the bootstrap bucket, so lowercase letters and digits.
BootstrapQualifier = Annotated[str, Field(pattern=r"^[a-z0-9]{1,10}$")]


class StageConfig(_Strict):
    """One deployment stage: where it goes and which algorithms it runs."""

    account: AccountId | None = None
    region: str | None = None
    # Stack names and physical names start with it; unset: the stage's name.
    namespace: StageName | None = None
    # Production stages get termination protection, a manual approval before the
    # delivery pipeline deploys them, and cannot be ephemeral.
    production: bool = False
    termination_protection: bool | None = None  # unset: on for production stages
    bootstrap_qualifier: BootstrapQualifier | None = None  # unset: the CDK's default
    # Serve what an earlier stage trained and approved: its registry's newest approved
    # packages (train once, promote the same package). Unset: this stage's own.
    models_from: StageName | None = None
    # Ephemeral stages destroy their data on deletion; others retain it.
    ephemeral: bool = False
    # Unset: the stage creates its own VPC.
    network: NetworkConfig | None = None
    fsx: FsxConfig = FsxConfig()
    retention: RetentionConfig = RetentionConfig()
    streaming: StreamingConfig = StreamingConfig()
    algorithms: dict[str, AlgorithmConfig] = Field(min_length=1)
    # Custom inference servers (custom-xgboost, custom-onnx), hosted like algorithms.
    model_servers: dict[str, ModelServerConfig] = Field(default_factory=dict)

    @field_validator("algorithms", "model_servers", mode="before")
    @classmethod
    def _null_means_defaults(cls, value: object) -> object:
        # `kmeans:` with nothing under it enables the algorithm with catalog defaults.
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value


# arn:aws:codeconnections:eu-west-1:111111111111:connection/<uuid> (or codestar-connections)
ConnectionArn = Annotated[
    str,
    Field(
        pattern=r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:"
        r"connection/[0-9a-f-]{36}$"
    ),
]


class PipelineConfig(_Strict):
    """The delivery pipeline (CDK Pipelines) in a tooling account: source, test, stages in order."""

    account: AccountId
    region: str
    connection_arn: ConnectionArn
    repository: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    branch: Annotated[str, Field(min_length=1, max_length=255)] = "main"
    name: StageName = "sagemaker-delivery"
    bootstrap_qualifier: BootstrapQualifier | None = None
    # The artifact and cross-region replication buckets.
    retention: BucketRetentionConfig = BucketRetentionConfig()


class AppConfig(_Strict):
    """A whole config file."""

    stages: Annotated[dict[StageName, StageConfig], Field(min_length=1)]
    # Unset: no pipeline; deploy stages by hand (`npx cdk deploy 'dev/*'`).
    pipeline: PipelineConfig | None = None
