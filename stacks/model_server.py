"""One stack per custom model server: its endpoints, on the stage's data plane."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.hosting import AlgorithmHosting
from infra.plan import StagePlan
from infra.plan.hosted import ServerPlan
from stacks.base import StageStack


class ModelServerStack(StageStack):
    """A custom server (containers/) behind the same hosting construct as the algorithms:
    real-time endpoint with autoscaling, blue/green updates, rollback alarms and a
    dashboard, and/or a serverless endpoint on the CPU image."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StagePlan,
        plan: ServerPlan,
        data_plane: DataPlane,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            stage=stage,
            purpose=f"custom model server, {plan.server.title}",
        )
        self.hosting = AlgorithmHosting(
            self,
            "Hosting",
            prefix=stage.prefix,
            plan=plan,
            data_plane=data_plane,
            log_retention_days=stage.retention.logs_days,
            image_assets=plan.image_assets,
        )
        for output, value in self.hosting.outputs.items():
            cdk.CfnOutput(self, output, value=value)
