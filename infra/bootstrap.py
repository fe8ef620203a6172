"""The `cdk bootstrap` commands a config needs, one per account and region."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from infra.names import partition_of
from infra.plan import AppPlan


def _qualifier(qualifier: str | None) -> str:
    return f" --qualifier {qualifier}" if qualifier else ""


def bootstrap_commands(plan: AppPlan, policies: Mapping[str, Sequence[str]]) -> list[str]:
    """The tooling account first, in its region and in every region a stage deploys to
    (the pipeline's cross-region support stacks go there), then each target account,
    trusting the tooling account when there is a pipeline and deploying with the
    managed policies `policies` names for it (see `infra.deploy_policy`)."""
    commands: list[str] = []
    pipeline = plan.pipeline
    if pipeline is not None:
        regions = dict.fromkeys([pipeline.region, *(s.region for s in plan.stages if s.region)])
        commands += [
            f"npx cdk bootstrap aws://{pipeline.account}/{region}"
            + _qualifier(pipeline.bootstrap_qualifier)
            for region in regions
        ]
    for stage in plan.stages:
        if stage.account is None or stage.region is None:
            # Environment-agnostic: wherever the caller's credentials point.
            commands.append("npx cdk bootstrap" + _qualifier(stage.bootstrap_qualifier))
            continue
        command = f"npx cdk bootstrap aws://{stage.account}/{stage.region}"
        command += _qualifier(stage.bootstrap_qualifier)
        if pipeline is not None:
            partition = partition_of(stage.region)
            arns = ",".join(
                f"arn:{partition}:iam::{stage.account}:policy/{name}"
                for name in policies[stage.account]
            )
            command += (
                f" --trust {pipeline.account} --trust-for-lookup {pipeline.account}"
                f" --cloudformation-execution-policies {arns}"
            )
        commands.append(command)
    return list(dict.fromkeys(commands))
