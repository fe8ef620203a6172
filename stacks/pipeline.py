"""The delivery pipeline: CDK Pipelines in the tooling account, one wave per stage."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import Construct

from infra.constructs.access_logs import AccessLogBucket
from infra.constructs.model_approvals import ApprovalTrigger
from infra.nag import GeneratedWildcard, acknowledge_generated_wildcards
from infra.plan.stages import PipelinePlan, StagePlan

# What CDK Pipelines writes into its own roles (the CodePipeline construct offers no
# narrower grants). Each entry names the policies it applies to.
_ANY_ROLE = r".*/DefaultPolicy/Resource"
_PIPELINE_WILDCARDS = (
    GeneratedWildcard(
        _ANY_ROLE,
        r"Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*",
        "S3 read and write actions CDK Pipelines grants each role on the pipeline's "
        "own artifact and replication buckets only",
    ),
    GeneratedWildcard(
        _ANY_ROLE,
        r"Resource::(<PipelineArtifactsBucket[0-9A-F]{8}\.Arn>|arn:aws[a-z-]*:s3:::"
        r"[a-z0-9-]+replicationbucket[0-9a-f]+)/\*",
        "objects of the pipeline's own artifact and cross-region replication buckets",
    ),
    GeneratedWildcard(
        _ANY_ROLE,
        r"Action::kms:(GenerateDataKey|ReEncrypt)\*",
        "data-key actions on the pipeline's artifact keys, which encrypt every artifact",
    ),
    GeneratedWildcard(
        r"Pipeline/Role/DefaultPolicy/Resource",
        r"Resource::\*",
        "KMS use of the replication key in another region's support stack, which this "
        "stack cannot reference by ARN; that key's policy admits the pipeline roles only",
    ),
    GeneratedWildcard(
        _ANY_ROLE,
        r"Resource::arn:aws[a-z-]*:(logs:[a-z0-9-]+:\d{12}:log-group:/aws/codebuild/"
        r"|codebuild:[a-z0-9-]+:\d{12}:report-group/).*",
        "log groups and report groups of the pipeline's own CodeBuild projects",
    ),
    GeneratedWildcard(
        r"UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource",
        r"Resource::(\*|arn:\*:iam::\d{12}:role/\*)",
        "self-mutation reads stacks and lists buckets, and assumes only roles tagged as "
        "CDK bootstrap roles (the policy's condition), to update the pipeline",
    ),
    GeneratedWildcard(
        r"Assets/(File|Docker)Role/DefaultPolicy/Resource",
        r"Resource::\*",
        "asset publishing starts and watches its own CodeBuild builds; CodeBuild build "
        "actions on a generated project name cannot be known before deployment",
    ),
)

# CodeBuild's runtime for the synth step: the Python `make setup` expects (named once,
# in .python-version) and a Node for npm (the CDK's own Node 24 comes with `make setup`).
_PYTHON_VERSION = (Path(__file__).resolve().parent.parent / ".python-version").read_text().strip()
_RUNTIMES = {"python": _PYTHON_VERSION, "nodejs": "22"}


class DeliveryPipelineStack(cdk.Stack):
    """Source from a CodeConnections repository, `make test` and synth, then each stage
    in config order, a manual approval before every production stage.

    Cross-account: the artifact bucket is encrypted with a rotated KMS key the
    target accounts can use; each target account trusts the tooling account
    through `cdk bootstrap --trust` (README, "Stages, accounts and regions").
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: PipelinePlan,
        stages: Sequence[tuple[StagePlan, cdk.Stage]],
        config_path: str,
    ) -> None:
        synthesizer = (
            cdk.DefaultStackSynthesizer(qualifier=plan.bootstrap_qualifier)
            if plan.bootstrap_qualifier
            else None
        )
        super().__init__(
            scope,
            construct_id,
            env=cdk.Environment(account=plan.account, region=plan.region),
            stack_name=plan.name,
            synthesizer=synthesizer,
            termination_protection=True,
            description="SageMaker built-in algorithms: delivery pipeline",
        )
        source = pipelines.CodePipelineSource.connection(
            plan.repository, plan.branch, connection_arn=plan.connection_arn
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            pipeline_name=plan.name,
            synth=pipelines.CodeBuildStep(
                "Synth",
                input=source,
                commands=[
                    "make test",
                    # The newest approved packages of the followed registries, into
                    # cdk.context.json: what the stages deploy (README, "Model lifecycle").
                    f".venv/bin/python -m infra models refresh {config_path} --lookup-role",
                    f"make synth CONFIG={config_path}",
                ],
                primary_output_directory="cdk.out",
                role_policy_statements=_lookup_statements(plan, self.partition),
            ),
            cross_account_keys=True,
            enable_key_rotation=True,
            code_build_defaults=pipelines.CodeBuildOptions(
                build_environment=codebuild.BuildEnvironment(
                    build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
                ),
                partial_build_spec=codebuild.BuildSpec.from_object(
                    {"phases": {"install": {"runtime-versions": _RUNTIMES}}}
                ),
            ),
        )
        for stage, deployment in stages:
            approval = (
                [
                    pipelines.ManualApprovalStep(
                        f"Approve-{stage.name}",
                        comment=f"Deploy to production stage {stage.name}?",
                    )
                ]
                if stage.production
                else None
            )
            wave = self.pipeline.add_wave(stage.name, pre=approval)
            wave.add_stage(deployment)
        # Build now (not at synth) so the generated roles exist to be checked.
        self.pipeline.build_pipeline()
        if plan.approvals_from:
            ApprovalTrigger(
                self,
                "ModelApprovals",
                pipeline=self.pipeline.pipeline,
                approvals_from=plan.approvals_from,
            )
        acknowledge_generated_wildcards(self.pipeline, _PIPELINE_WILDCARDS)
        self._version_and_log_buckets(plan)

    def _version_and_log_buckets(self, plan: PipelinePlan) -> None:
        """CDK Pipelines' artifact bucket and each cross-region replication bucket:
        versioned, old versions expired, access logged to a log bucket beside it."""
        noncurrent = cdk.Duration.days(plan.noncurrent_versions_days)
        for scope in [self, *_support_stacks(self)]:
            root = self.pipeline if scope is self else scope
            buckets = [c for c in root.node.find_all() if isinstance(c, s3.CfnBucket)]
            if not buckets:
                continue
            logs = AccessLogBucket(
                scope,
                "ArtifactAccessLogs",
                expire_after=cdk.Duration.days(plan.access_logs_days),
                noncurrent_versions_after=noncurrent,
            )
            for bucket in buckets:
                logs.log_generated_bucket(
                    bucket,
                    prefix=f"{bucket.node.scope.node.id}/",  # e.g. ArtifactsBucket/
                    noncurrent_versions_after=noncurrent,
                )


def _lookup_statements(plan: PipelinePlan, partition: str) -> list[iam.PolicyStatement]:
    """The synth step assumes each registry account's CDK lookup role (ReadOnlyAccess)
    to read the approved packages; that account trusts it via --trust-for-lookup."""
    if not plan.lookup_roles:
        return []
    return [
        iam.PolicyStatement(
            sid="RecordApprovedModels",
            actions=["sts:AssumeRole"],
            resources=[
                f"arn:{partition}:iam::{r.account}:role/cdk-{r.qualifier}-lookup-role-{r.account}-"
                f"{r.region}"
                for r in plan.lookup_roles
            ],
        )
    ]


def _support_stacks(pipeline_stack: cdk.Stack) -> list[cdk.Stack]:
    """The stacks CodePipeline adds for cross-region actions (a replication bucket each)."""
    app = pipeline_stack.node.root
    return [
        child
        for child in app.node.children
        if isinstance(child, cdk.Stack) and child.node.id.startswith("cross-region-stack-")
    ]
