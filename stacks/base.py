"""What every stack of a stage shares: its name and its termination protection."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.plan import StagePlan


class StageStack(cdk.Stack):
    """A stack named `<namespace>-<id>`, the same whether deployed by hand or by the
    pipeline, protected from deletion when its stage says so."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StagePlan, purpose: str
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            stack_name=stage.stack_name(construct_id),
            termination_protection=stage.termination_protection,
            description=f"SageMaker built-in algorithms, stage {stage.name}: {purpose}",
        )

    @property
    def availability_zones(self) -> list[str]:
        """The region's first two zones, resolved at deploy time (`Fn::GetAZs`).

        A stack with a concrete account and region would otherwise look its zones
        up in the account at synth, which needs credentials and a network.
        """
        zones = cdk.Fn.get_azs()
        return [cdk.Fn.select(0, zones), cdk.Fn.select(1, zones)]
