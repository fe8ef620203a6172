"""The delivery pipeline (CDK Pipelines) in a tooling account."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from infra.config.data_plane import BucketRetentionConfig
from infra.config.fields import AccountId, BootstrapQualifier, StageName, Strict

# arn:aws:codeconnections:eu-west-1:111111111111:connection/<uuid> (or codestar-connections)
ConnectionArn = Annotated[
    str,
    Field(
        pattern=r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:"
        r"connection/[0-9a-f-]{36}$"
    ),
]


class PipelineConfig(Strict):
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
