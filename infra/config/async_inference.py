"""Asynchronous inference overrides (`async:` per algorithm; limits in infra.catalog.limits)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from infra.catalog.limits import (
    ASYNC_DEFAULT_INVOCATION_TIMEOUT_SECONDS,
    ASYNC_MAX_CONCURRENT_INVOCATIONS,
    ASYNC_MAX_INVOCATION_TIMEOUT_SECONDS,
    ENDPOINT_MAX_INSTANCES,
    SCALING_MAX_COOLDOWN_SECONDS,
)
from infra.config.fields import Strict
from infra.config.hosting import DeploymentConfig


class AsyncConfig(Strict):
    """An asynchronous endpoint beside the real-time one: requests and results in S3,
    notifications on SNS, scaling to zero when the queue is empty.

    It serves the real-time endpoint's model (pinned, or the registry's approved
    package) and, with `endpoint.pipeline`, the same pipeline.
    """

    enabled: bool = False
    instance_type: str | None = None  # unset: the real-time endpoint's
    # 0: scale to zero when there is no backlog (and back out on the first request).
    min_instances: Annotated[int, Field(ge=0, le=ENDPOINT_MAX_INSTANCES)] = 0
    max_instances: Annotated[int, Field(ge=1, le=ENDPOINT_MAX_INSTANCES)] = 2
    # Unset: SageMaker picks (AsyncInferenceClientConfig).
    max_concurrent_invocations_per_instance: (
        Annotated[int, Field(ge=1, le=ASYNC_MAX_CONCURRENT_INVOCATIONS)] | None
    ) = None
    # Target tracking on ApproximateBacklogSizePerInstance (queued requests per instance).
    target_backlog_per_instance: Annotated[float, Field(gt=0, le=10000)] = 5.0
    # What callers pass as InvokeEndpointAsync's InvocationTimeoutSeconds (the README's
    # command and the stack output say so); SageMaker's own default is 900.
    invocation_timeout_seconds: Annotated[
        int, Field(ge=1, le=ASYNC_MAX_INVOCATION_TIMEOUT_SECONDS)
    ] = ASYNC_DEFAULT_INVOCATION_TIMEOUT_SECONDS
    scale_in_cooldown_seconds: Annotated[int, Field(ge=0, le=SCALING_MAX_COOLDOWN_SECONDS)] = 600
    scale_out_cooldown_seconds: Annotated[int, Field(ge=0, le=SCALING_MAX_COOLDOWN_SECONDS)] = 300
    deployment: DeploymentConfig = DeploymentConfig()
