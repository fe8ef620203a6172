"""One `cdk.Stage` per configured stage, holding that stage's stacks."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.plan import AppPlan, StagePlan


class SageMakerStage(cdk.Stage):
    """Every stack of one stage, in the account and region its plan names (if any).

    The stage's stacks are added here as capabilities land; each receives the
    typed handles it needs from the stacks before it, never names or ARNs.
    """

    def __init__(self, scope: Construct, plan: StagePlan) -> None:
        env = cdk.Environment(account=plan.account, region=plan.region)
        super().__init__(scope, plan.name, env=env)
        self.plan = plan


def add_stages(app: cdk.App, plan: AppPlan) -> list[SageMakerStage]:
    return [SageMakerStage(app, stage) for stage in plan.stages]
