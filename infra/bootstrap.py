"""The `cdk bootstrap` commands a config needs, one per account and region."""

from __future__ import annotations

from infra.plan import AppPlan

# The managed policy CloudFormation deploys with in each target account: create it
# (least privilege for these stacks) before bootstrapping; see README.
DEPLOY_POLICY = "sagemaker-algorithms-deploy"


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def _qualifier(qualifier: str | None) -> str:
    return f" --qualifier {qualifier}" if qualifier else ""


def bootstrap_commands(plan: AppPlan) -> list[str]:
    """The tooling account first, in its region and in every region a stage deploys to
    (the pipeline's cross-region support stacks go there), then each target account,
    trusting the tooling account when there is a pipeline."""
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
            command += (
                f" --trust {pipeline.account} --trust-for-lookup {pipeline.account}"
                " --cloudformation-execution-policies"
                f" arn:{_partition(stage.region)}:iam::{stage.account}:policy/{DEPLOY_POLICY}"
            )
        commands.append(command)
    return list(dict.fromkeys(commands))
