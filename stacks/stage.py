"""One `cdk.Stage` per configured stage, holding that stage's stacks."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.constructs.tags import APP_PRIORITY, tag
from infra.nag import add_packs, synth_and_validate
from infra.names import PIPELINE_STACK_ID
from infra.plan import AppPlan, StagePlan
from infra.plan.tags import COMPONENT_TAG
from stacks.algorithm import AlgorithmStack, stack_id
from stacks.foundation import FoundationStack
from stacks.model_server import ModelServerStack
from stacks.pipeline import DeliveryPipelineStack
from stacks.streaming import StreamingStack

BOOTSTRAP_QUALIFIER = "@aws-cdk/core:bootstrapQualifier"
# Under jsii these traces hold only JavaScript frames of the runtime's temporary
# directory, which changes every run: off, so the whole cloud assembly is
# byte-identical from one synth to the next. (Set here, not in cdk.json, where the
# CLI warns about reserved `aws:` keys.)
_NO_CREATION_TRACES = {"aws:cdk:disable-creation-stack-traces": True}


def new_app(**props: object) -> cdk.App:
    """The CDK app every synth of this project uses (`app.py`, tests, benchmarks)."""
    return cdk.App(stack_traces=False, post_cli_context=_NO_CREATION_TRACES, **props)  # type: ignore[arg-type]


class SageMakerStage(cdk.Stage):
    """Every stack of one stage, in the account and region its plan names (if any).

    The foundation stack comes first; the stacks after it receive its typed
    `DataPlane` handles, never names or ARNs, and nothing refers outside the stage.
    """

    def __init__(self, scope: Construct, plan: StagePlan) -> None:
        env = cdk.Environment(account=plan.account, region=plan.region)
        super().__init__(scope, plan.name, env=env)
        self.plan = plan
        if plan.bootstrap_qualifier:
            # Read by each stack's synthesizer: set before any stack exists.
            self.node.set_context(BOOTSTRAP_QUALIFIER, plan.bootstrap_qualifier)
        self.foundation = FoundationStack(self, "Foundation", plan=plan)
        self.algorithms = {
            algorithm.name: AlgorithmStack(
                self,
                stack_id(algorithm.name),
                stage=plan,
                plan=algorithm,
                data_plane=self.foundation.data_plane,
            )
            for algorithm in plan.algorithms
        }
        self.model_servers = {
            server.name: ModelServerStack(
                self,
                stack_id(server.name),
                stage=plan,
                plan=server,
                data_plane=self.foundation.data_plane,
            )
            for server in plan.model_servers
        }
        self.streaming = None
        if plan.streaming is not None:
            self.streaming = StreamingStack(
                self,
                "Streaming",
                stage=plan,
                plan=plan.streaming,
                data_plane=self.foundation.data_plane,
            )
            # The endpoint is named, not referenced: order the stacks explicitly.
            self.streaming.add_stack_dependency(self.algorithms[plan.streaming.scorer])
        # Cost allocation: the stage's tags on the shared stacks, each algorithm's (or
        # the stream scorer's) on its own.
        tag(self.foundation, plan.tags.stage)
        for name, stack in (*self.algorithms.items(), *self.model_servers.items()):
            tag(stack, plan.tags.of(name))
        if self.streaming is not None and plan.streaming is not None:
            tag(self.streaming, plan.tags.of(plan.streaming.scorer))


def add_stages(app: cdk.App, plan: AppPlan) -> list[SageMakerStage]:
    """One top-level stage per configured stage (deployable by hand: `cdk deploy 'dev/*'`),
    and, when the config has one, the delivery pipeline that deploys those very stages
    (one synthesis of each, whichever way it is deployed). The rule packs run once over
    every template of the app."""
    add_packs(app)
    tag(app, plan.tags, priority=APP_PRIORITY)
    stages = [SageMakerStage(app, stage) for stage in plan.stages]
    if plan.pipeline is not None:
        pipeline = DeliveryPipelineStack(
            app,
            PIPELINE_STACK_ID,
            plan=plan.pipeline,
            stages=[(stage.plan, stage) for stage in stages],
            config_path=plan.source,
        )
        # The pipeline and CodePipeline's replication stacks in the other regions.
        for stack in (pipeline, *app.node.children):
            if isinstance(stack, cdk.Stack) and (
                stack is pipeline or stack.node.id.startswith("cross-region-stack")
            ):
                tag(stack, ((COMPONENT_TAG, "delivery-pipeline"),))
    return stages


def synthesize(app: cdk.App, plan: AppPlan) -> list[str]:
    """Add every stage to `app` and synthesize; return nag violations, one per line."""
    add_stages(app, plan)
    return synth_and_validate(app)
