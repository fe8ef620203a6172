"""Hosting overrides: the real-time endpoint (variants, deployment, API) and the serverless one."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import SERVERLESS_MAX_CONCURRENCY, SERVERLESS_MEMORY_SIZES_MB
from infra.config.fields import S3ObjectUri, Strict
from infra.config.schedule import ScheduledCapacityConfig

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
    instance_count: Annotated[int, Field(ge=1)] = 1
    # Share of live traffic relative to the main variant's weight of 1 (A/B only).
    weight: Annotated[float, Field(gt=0, le=1000)] = 1.0


class DeploymentConfig(Strict):
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


class ApiConfig(Strict):
    """An API Gateway REST API with IAM auth in front of the endpoint."""

    enabled: bool = False
    throttle_rate_per_second: Annotated[int, Field(ge=1, le=10000)] = 100
    throttle_burst: Annotated[int, Field(ge=1, le=5000)] = 200


class EndpointConfig(Strict):
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
