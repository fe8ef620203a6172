"""Cost allocation tags on every taggable resource, with the CDK's own `Tags` aspect.

The plan merged the user's tags (app, stage, algorithm) and added this project's
(`sagemaker-algorithms:stage`, `…:algorithm`, `…:component`); this module only puts
them on the stacks. App-level tags go on the app (so CodePipeline's cross-region
support stacks carry them too) at a lower priority than a stack's, so a stage or
algorithm overrides the app's value for the same key.

`tests/test_tags.py` walks every resource of the default and three-stage assemblies:
each resource whose CloudFormation registry schema has a `Tags` property carries the
tags, except the types below, and every other type is listed in `UNTAGGABLE`.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

from infra.plan.tags import Tags

APP_PRIORITY, STACK_PRIORITY = 100, 200

# Taggable, but not tagged: their schema makes `Tags` create-only (a tag change would
# replace them), and their names are fixed (`<stage>-<algorithm>-…`), so CloudFormation
# could not create the replacement before deleting them ("cannot update a stack when
# a custom-named resource requires replacing"). Their monitoring jobs are billed to the
# processing jobs the tagged monitoring schedules start.
REPLACED_ON_TAG_CHANGE = (
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelBiasJobDefinition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
)

# Types this project creates whose CloudFormation schema has no `Tags` property, or
# that are custom resources (no schema): nothing in a template can tag them.
UNTAGGABLE = {
    "AWS::ApplicationAutoScaling::ScalingPolicy": "a policy of its scalable target, "
    "which is tagged; the schema has no Tags",
    "AWS::EC2::SecurityGroupEgress": "a rule of its security group, which is tagged; "
    "the schema has no Tags",
    "AWS::EC2::SecurityGroupIngress": "a rule of its security group, which is tagged; "
    "the schema has no Tags",
    "AWS::EC2::SubnetRouteTableAssociation": "an association, billed nothing; the schema "
    "has no Tags",
    "AWS::Events::EventBusPolicy": "a permission on its event bus, which is tagged; the "
    "schema has no Tags",
    "AWS::IAM::ManagedPolicy": "IAM bills nothing; the schema has no Tags",
    "AWS::IAM::Policy": "an inline policy of its role, which is tagged; the schema has no Tags",
    "AWS::KMS::Alias": "a name for its key, which is tagged and billed; the schema has no Tags",
    "AWS::S3::BucketPolicy": "part of its bucket, which is tagged; the schema has no Tags",
    "AWS::Scheduler::Schedule": "a drift pipeline's schedule, billed per invocation; the "
    "pipeline it starts is tagged; the schema has no Tags",
    "AWS::SNS::TopicPolicy": "part of its topic, which is tagged; the schema has no Tags",
    "AWS::SQS::QueuePolicy": "part of its queue, which is tagged; the schema has no Tags",
    "Custom::S3AutoDeleteObjects": "a CDK custom resource: CloudFormation passes its "
    "properties to a Lambda function (which is tagged) and bills nothing",
    "Custom::VpcRestrictDefaultSG": "a CDK custom resource: CloudFormation passes its "
    "properties to a Lambda function (which is tagged) and bills nothing",
}


def tag(scope: IConstruct, tags: Tags, *, priority: int = STACK_PRIORITY) -> None:
    """Put `tags` on every taggable resource under `scope` (and on its stacks' own
    CloudFormation stack tags), except the types a tag change would replace."""
    for key, value in tags:
        cdk.Tags.of(scope).add(
            key,
            value,
            priority=priority,
            exclude_resource_types=list(REPLACED_ON_TAG_CHANGE),
        )
    if isinstance(scope, cdk.Stack):
        _tag_custom_resource_providers(scope, tags)


def _tag_custom_resource_providers(stack: cdk.Stack, tags: Tags) -> None:
    """The CDK's custom resource providers (`Custom::…CustomResourceProvider`, one per
    stack, e.g. for auto-deleted buckets) are plain `CfnResource`s the `Tags` aspect
    skips: their role and function get the stack's tags as a property. Only the
    stack's direct children are read, not the whole tree."""
    value = [{"Key": key, "Value": v} for key, v in tags]
    for child in stack.node.children:
        if not (child.node.id.startswith("Custom::") and child.node.id.endswith("Provider")):
            continue
        for part in child.node.children:
            if isinstance(part, cdk.CfnResource) and part.cfn_resource_type in (
                "AWS::IAM::Role",
                "AWS::Lambda::Function",
            ):
                part.add_property_override("Tags", value)
