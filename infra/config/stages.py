"""A whole config file: stages, what each runs, and the delivery pipeline."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from infra.config.async_inference import AsyncConfig
from infra.config.data_plane import FsxConfig, NetworkConfig, RetentionConfig
from infra.config.fields import AccountId, BootstrapQualifier, StageName, Strict
from infra.config.hosting import EndpointConfig, ServerlessConfig
from infra.config.monitoring import MonitoringConfig
from infra.config.pipeline import PipelineConfig
from infra.config.streaming import StreamingConfig
from infra.config.tags import UserTags
from infra.config.training import TrainingConfig
from infra.config.transform import TransformConfig
from infra.config.tuning import TuningConfig


class AlgorithmConfig(Strict):
    """One algorithm in a stage; every section is optional."""

    enabled: bool = True
    training: TrainingConfig = TrainingConfig()
    tuning: TuningConfig = TuningConfig()
    endpoint: EndpointConfig = EndpointConfig()
    serverless: ServerlessConfig = ServerlessConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    transform: TransformConfig = TransformConfig()
    # `async:` in YAML (a Python keyword, hence the field's own name).
    async_inference: AsyncConfig = Field(default=AsyncConfig(), alias="async")
    # Cost allocation tags for this algorithm's resources (over the stage's and app's).
    tags: UserTags


class ModelServerConfig(Strict):
    """One custom model server (containers/) in a stage: hosting only, no training."""

    enabled: bool = True
    endpoint: EndpointConfig = EndpointConfig()
    serverless: ServerlessConfig = ServerlessConfig()
    tags: UserTags


class StageConfig(Strict):
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
    # Cost allocation tags for every resource of the stage (over the app's).
    tags: UserTags

    @field_validator("algorithms", "model_servers", mode="before")
    @classmethod
    def _null_means_defaults(cls, value: object) -> object:
        # `kmeans:` with nothing under it enables the algorithm with catalog defaults.
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value


class AppConfig(Strict):
    """A whole config file."""

    stages: Annotated[dict[StageName, StageConfig], Field(min_length=1)]
    # Unset: no pipeline; deploy stages by hand (`npx cdk deploy 'dev/*'`).
    pipeline: PipelineConfig | None = None
    # Cost allocation tags for every resource the app creates.
    tags: UserTags
