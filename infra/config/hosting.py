"""Hosting overrides: the real-time endpoint (variants, deployment, API) and the serverless one."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import (
    API_MAX_BURST,
    API_MAX_RATE_PER_SECOND,
    DEPLOYMENT_LINEAR_STEP_PERCENT,
    DEPLOYMENT_MAX_CANARY_PERCENT,
    DEPLOYMENT_MAX_EXECUTION_SECONDS,
    DEPLOYMENT_MAX_WAIT_SECONDS,
    DEPLOYMENT_MIN_EXECUTION_SECONDS,
    ENDPOINT_MAX_INSTANCES,
    ENDPOINT_MAX_VARIANTS,
    ROLLBACK_MAX_5XX_ERRORS,
    ROLLBACK_MAX_MODEL_LATENCY_MS,
    SCALING_MAX_COOLDOWN_SECONDS,
    SCALING_MAX_RPS_PER_INSTANCE,
    SCALING_MAX_TARGET_VALUE,
    SERVERLESS_MAX_CONCURRENCY,
    SERVERLESS_MEMORY_SIZES_MB,
)
from infra.config.fields import S3ObjectUri, Strict
from infra.config.schedule import ScheduledCapacityConfig
from infra.config.serial import PipelineEntry

ModelPackageArn = Annotated[
    str, Field(pattern=r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package/\S+$")
]

VariantName = Annotated[str, Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]


class VariantConfig(Strict):
    """Another model beside the main one: an A/B variant or a shadow."""

    name: VariantName
    model_uri: S3ObjectUri | None = None
    model_package_arn: ModelPackageArn | None = None
    instance_type: str | None = None
    instance_count: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)] = 1
    # Share of live traffic relative to the main variant's weight of 1 (A/B only).
    weight: Annotated[float, Field(gt=0, le=1000)] = 1.0


class DeploymentConfig(Strict):
    """Blue/green updates with traffic shifting, baking and auto-rollback (facts §14)."""

    traffic: Literal["CANARY", "LINEAR", "ALL_AT_ONCE"] = "CANARY"
    # CanarySize is at most 50 % of the fleet; LinearStepSize 10-50 %.
    canary_percent: Annotated[int, Field(ge=1, le=DEPLOYMENT_MAX_CANARY_PERCENT)] = 10
    linear_step_percent: Annotated[
        int, Field(ge=DEPLOYMENT_LINEAR_STEP_PERCENT[0], le=DEPLOYMENT_LINEAR_STEP_PERCENT[1])
    ] = 20
    baking_seconds: Annotated[int, Field(ge=0, le=DEPLOYMENT_MAX_WAIT_SECONDS)] = 600
    termination_wait_seconds: Annotated[int, Field(ge=0, le=DEPLOYMENT_MAX_WAIT_SECONDS)] = 300
    max_execution_seconds: (
        Annotated[
            int,
            Field(ge=DEPLOYMENT_MIN_EXECUTION_SECONDS, le=DEPLOYMENT_MAX_EXECUTION_SECONDS),
        ]
        | None
    ) = None
    # Roll back when the new fleet's average model latency or 5XX count goes above these.
    rollback_model_latency_ms: Annotated[int, Field(ge=1, le=ROLLBACK_MAX_MODEL_LATENCY_MS)] = 1000
    rollback_5xx_errors: Annotated[int, Field(ge=1, le=ROLLBACK_MAX_5XX_ERRORS)] = 1


class ApiConfig(Strict):
    """An API Gateway REST API with IAM auth in front of the endpoint."""

    enabled: bool = False
    throttle_rate_per_second: Annotated[int, Field(ge=1, le=API_MAX_RATE_PER_SECOND)] = 100
    throttle_burst: Annotated[int, Field(ge=1, le=API_MAX_BURST)] = 200


class EndpointConfig(Strict):
    """Overrides for the autoscaled real-time endpoint."""

    enabled: bool | None = None
    instance_type: str | None = None
    min_instances: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)] = 1
    max_instances: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)] = 2
    # Pin the model: an S3 artifact or a model package. Unset: the newest approved
    # package of the registry, as recorded by `python -m infra models refresh`.
    model_uri: S3ObjectUri | None = None
    model_package_arn: ModelPackageArn | None = None
    # Target tracking on invocations per instance (per minute): give the target, or
    # the instance's measured maximum requests per second and a safety factor.
    target_invocations_per_instance: (
        Annotated[int, Field(ge=1, le=SCALING_MAX_TARGET_VALUE)] | None
    ) = None
    max_rps_per_instance: Annotated[float, Field(gt=0, le=SCALING_MAX_RPS_PER_INSTANCE)] | None = (
        None
    )
    safety_factor: Annotated[float, Field(gt=0, le=1)] = 0.5
    # Optional second policy on CPU (GPU on GPU instances) utilization, percent.
    utilization_target_percent: Annotated[int, Field(ge=1, le=100)] | None = None
    scale_in_cooldown_seconds: Annotated[int, Field(ge=0, le=SCALING_MAX_COOLDOWN_SECONDS)] = 600
    scale_out_cooldown_seconds: Annotated[int, Field(ge=0, le=SCALING_MAX_COOLDOWN_SECONDS)] = 60
    deployment: DeploymentConfig = DeploymentConfig()
    variants: list[VariantConfig] = Field(
        default_factory=list, max_length=ENDPOINT_MAX_VARIANTS - 1
    )
    shadow: VariantConfig | None = None
    api: ApiConfig = ApiConfig()
    # An inference pipeline: preprocessors and `algorithm` (its own container), in order.
    # 2 to 15 of them (the plan counts, so the error names the count, not the list).
    pipeline: list[PipelineEntry] = Field(default_factory=list)
    # Off-hours (and back-on) bounds for the main variant's autoscaling, e.g. 1-1 at
    # night and min_instances-max_instances in the morning.
    schedule: list[ScheduledCapacityConfig] = Field(default_factory=list)


class ServerlessConfig(Strict):
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
