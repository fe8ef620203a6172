"""Model package approvals start the delivery pipeline.

SageMaker sends "SageMaker Model Package State Change" to the registry account's
default event bus when a package's approval status changes (developer guide,
"Automating SageMaker with Amazon EventBridge"). A rule there forwards approvals
and rejections of the followed groups to the pipeline account's default bus (a
cross-account, possibly cross-region, event bus target with its own role); a rule
there starts the pipeline, whose synth step records the newest approved packages.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.constructs.dead_letters import dead_letter_queue
from infra.plan.stages import ApprovalRoute

MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"
# Rejecting the served version rolls back to the previous approved one: both count.
STATUSES = ("Approved", "Rejected")


def approval_pattern(
    groups: tuple[str, ...], accounts: tuple[str, ...] = ()
) -> events.EventPattern:
    return events.EventPattern(
        source=["aws.sagemaker"],
        detail_type=[MODEL_PACKAGE_STATE_CHANGE],
        account=list(accounts) or None,
        detail={"ModelPackageGroupName": list(groups), "ModelApprovalStatus": list(STATUSES)},
    )


class ApprovalForwarder(Construct):
    """In a registry stage: send its groups' approvals to the pipeline's event bus."""

    def __init__(
        self, scope: Construct, construct_id: str, *, route: ApprovalRoute, key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        bus_arn = (
            f"arn:{stack.partition}:events:{route.to_region}:{route.to_account}:event-bus/default"
        )
        self.rule = events.Rule(
            self,
            "Rule",
            description="Forward model package approvals to the delivery pipeline's account",
            event_pattern=approval_pattern(route.groups),
        )
        # The EventBus target creates a role allowed events:PutEvents on that bus only.
        self.rule.add_target(
            targets.EventBus(
                events.EventBus.from_event_bus_arn(self, "PipelineBus", bus_arn),
                dead_letter_queue=dead_letter_queue(
                    self, "Undelivered", key=key, role="Approvals the pipeline's bus refused"
                ),
            )
        )


class ApprovalTrigger(Construct):
    """In the pipeline account: let the registry accounts send approvals to the default
    bus, and start the pipeline on each."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        pipeline: codepipeline.IPipeline,
        approvals_from: tuple[tuple[str, tuple[str, ...]], ...],
    ) -> None:
        super().__init__(scope, construct_id)
        account = cdk.Stack.of(self).account
        # EventBridge writes undelivered events to the queue with this key.
        key = kms.Key(
            self,
            "Key",
            description="Model approvals that could not start the delivery pipeline",
            enable_key_rotation=True,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="EventBridgeDeadLetters",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy, "*" means this key
                conditions={"StringEquals": {"aws:SourceAccount": account}},
            )
        )
        accounts = tuple(a for a, _ in approvals_from)
        groups = tuple(sorted(g for _, gs in approvals_from for g in gs))
        for source in accounts:
            if source != account:
                events.CfnEventBusPolicy(
                    self,
                    f"From{source}",
                    statement_id=f"model-approvals-from-{source}",
                    event_bus_name="default",
                    action="events:PutEvents",
                    principal=source,
                )
        self.rule = events.Rule(
            self,
            "Rule",
            description="Start the delivery pipeline when a followed model package is "
            "approved or rejected",
            event_pattern=approval_pattern(groups, accounts),
        )
        # The CodePipeline target creates a role allowed to start this pipeline only.
        self.rule.add_target(
            targets.CodePipeline(
                pipeline,
                dead_letter_queue=dead_letter_queue(
                    self, "Undelivered", key=key, role="Approvals that could not start the pipeline"
                ),
            )
        )
