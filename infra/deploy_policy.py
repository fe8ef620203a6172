"""The CloudFormation execution policy for a target account, from what its stacks hold.

`cdk bootstrap --trust` needs the policies CloudFormation deploys with in each
target account. AdministratorAccess works and is what the CDK suggests; this
builds the least-privilege alternative: the actions CloudFormation's own resource
handlers declare (create, read, update, delete) for every resource type the
account's stacks contain, read from the registry schemas cfn-lint ships, plus a
short, documented list for the types whose schema declares none. Resources stay
`*` (CloudFormation creates them, their ARNs are unknown beforehand) except where
they can be named: roles passed to services carry the stage's namespace.

What CloudFormation itself reads while deploying a template is derived from the
templates too (`template_needs`): the SSM parameters behind parameter types and
dynamic references (the bootstrap version, the public Powertools layer parameter),
and the stacks `Fn::GetStackOutput` reads, which the execution role must be allowed
to describe (CloudFormation template reference, Fn::GetStackOutput: "RoleArn …
Defaults to the current stack's execution role", which needs
cloudformation:DescribeStacks on the referenced stack).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.assembly import StackArtifact, stack_artifacts
from infra.names import CDK_DEFAULT_QUALIFIER, partition_of
from infra.plan import AppPlan, StagePlan

# Managed policies hold at most 6,144 characters, whitespace excluded (IAM quotas).
POLICY_LIMIT = 6144
# Services the stages hand their roles to (SageMaker jobs, pipelines and models,
# Lambda, API Gateway logging, VPC flow logs, EventBridge rules and schedules).
PASSED_TO = (
    "apigateway.amazonaws.com",
    "events.amazonaws.com",
    "lambda.amazonaws.com",
    "sagemaker.amazonaws.com",
    "scheduler.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
)
POLICY_PREFIX = "sagemaker-algorithms-deploy"
HANDLERS = ("create", "read", "update", "delete")

# Types whose registry schema declares no handler permissions: what their API needs.
FALLBACK_ACTIONS: Mapping[str, tuple[str, ...]] = {
    # FSx for Lustre (FSx user guide: "Adding permissions to use data repositories in
    # Amazon S3" and "Using service-linked roles"); the file system's ENIs are made
    # by FSx's service-linked role, the caller only describes the network.
    "AWS::FSx::FileSystem": (
        "fsx:CreateFileSystem",
        "fsx:DeleteFileSystem",
        "fsx:DescribeFileSystems",
        "fsx:ListTagsForResource",
        "fsx:TagResource",
        "fsx:UntagResource",
        "fsx:UpdateFileSystem",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
        "iam:AttachRolePolicy",
        "iam:CreateServiceLinkedRole",
        "iam:PutRolePolicy",
        "kms:CreateGrant",
        "kms:DescribeKey",
        "s3:GetBucketAcl",
        "s3:GetBucketPolicy",
        "s3:ListBucket",
    ),
}
# CDK custom resources: CloudFormation invokes their provider function as the caller.
CUSTOM_RESOURCE_ACTIONS = ("lambda:InvokeFunction",)


def _schemas() -> Path:
    import cfnlint.data.schemas  # a dev dependency: only this command needs it

    return Path(cfnlint.data.schemas.__file__).parent


def handler_actions(resource_types: Iterable[str]) -> list[str]:
    """Every action CloudFormation needs to create, read, update and delete these types."""
    schemas = _schemas()
    index = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    actions: set[str] = set()
    for resource_type in resource_types:
        if resource_type.startswith("Custom::"):
            actions.update(CUSTOM_RESOURCE_ACTIONS)
            continue
        if resource_type in FALLBACK_ACTIONS:
            actions.update(FALLBACK_ACTIONS[resource_type])
            continue
        schema = json.loads((schemas / "resources" / f"{index[resource_type]}.json").read_text())
        handlers = schema.get("handlers") or {}
        if not handlers:
            raise ValueError(f"{resource_type}: no handler permissions and no fallback list")
        for handler in HANDLERS:
            actions.update(handlers.get(handler, {}).get("permissions", []))
    return sorted(actions)


@dataclass(frozen=True, slots=True)
class Target:
    """One account the stages deploy to: its partition, bootstrap qualifier and prefixes."""

    account: str
    partition: str
    qualifier: str
    prefixes: tuple[str, ...]  # namespaces of its stages (role names start with them)


def targets(plan: AppPlan) -> list[Target]:
    """Accounts named by stages, each with what its policy needs to know."""
    by_account: dict[str, list[StagePlan]] = {}
    for stage in plan.stages:
        if stage.account is not None and stage.region is not None:
            by_account.setdefault(stage.account, []).append(stage)
    return [
        Target(
            account=account,
            partition=partition_of(stages[0].region or ""),
            qualifier=stages[0].bootstrap_qualifier or CDK_DEFAULT_QUALIFIER,
            prefixes=tuple(sorted({s.prefix for s in stages})),
        )
        for account, stages in sorted(by_account.items())
    ]


def resource_types_by_account(assembly: Path) -> dict[str, set[str]]:
    """Resource types of the stacks the assembly deploys, by target account."""
    found: dict[str, set[str]] = {}
    for stack in stack_artifacts(assembly):
        resources = stack.template().get("Resources", {}).values()
        found.setdefault(stack.account, set()).update(r["Type"] for r in resources)
    return found


@dataclass(frozen=True, order=True, slots=True)
class Need:
    """One action CloudFormation performs as the execution role, on one resource."""

    action: str
    resource: str


_DYNAMIC_SSM = re.compile(r"\{\{resolve:ssm(?:-secure)?:([^:}]+)")


def _ssm_arn(partition: str, region: str, account: str, name: str) -> str:
    # AWS's public parameters (/aws/service/…) have no account in their ARN.
    owner = "" if name.startswith("/aws/") else account
    return f"arn:{partition}:ssm:{region}:{owner}:parameter{name}"


def _stack_outputs_read(value: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, dict):
        if "Fn::GetStackOutput" in value:
            yield value["Fn::GetStackOutput"]
        for child in value.values():
            yield from _stack_outputs_read(child)
    elif isinstance(value, list):
        for child in value:
            yield from _stack_outputs_read(child)


def template_needs(stack: StackArtifact) -> set[Need]:
    """What CloudFormation reads as the execution role while deploying this stack."""
    account, region = stack.account, stack.environment.rsplit("/", 1)[-1]
    partition = partition_of(region)
    template = stack.template()
    needs: set[Need] = set()
    for parameter in template.get("Parameters", {}).values():
        if str(parameter.get("Type", "")).startswith("AWS::SSM::Parameter::"):
            arn = _ssm_arn(partition, region, account, parameter["Default"])
            needs.add(Need("ssm:GetParameters", arn))
    for name in _DYNAMIC_SSM.findall(json.dumps(template)):
        needs.add(Need("ssm:GetParameters", _ssm_arn(partition, region, account, name)))
    for read in _stack_outputs_read(template.get("Resources", {})):
        name, where = read.get("StackName"), read.get("Region", region)
        if isinstance(name, str) and isinstance(where, str):
            arn = f"arn:{partition}:cloudformation:{where}:{account}:stack/{name}/*"
            needs.add(Need("cloudformation:DescribeStacks", arn))
    return needs


def needs_by_account(assembly: Path) -> dict[str, set[Need]]:
    """Every stack's `template_needs`, by the account it deploys to."""
    found: dict[str, set[Need]] = {}
    for stack in stack_artifacts(assembly):
        found.setdefault(stack.account, set()).update(template_needs(stack))
    return found


def _needs_statements(needs: Iterable[Need]) -> list[dict[str, Any]]:
    by_action: dict[str, list[str]] = {}
    for need in sorted(needs):
        by_action.setdefault(need.action, []).append(need.resource)
    sids = {
        "ssm:GetParameters": "TemplateParameters",
        "cloudformation:DescribeStacks": "StackOutputs",
    }
    return [
        {
            "Sid": sids.get(action, "TemplateReads"),
            "Effect": "Allow",
            "Action": action,
            "Resource": resources,
        }
        for action, resources in by_action.items()
    ]


def covers(documents: Iterable[Mapping[str, Any]], need: Need) -> bool:
    """Whether an Allow statement of `documents` grants `need` (IAM's * wildcards)."""
    from fnmatch import fnmatchcase

    for document in documents:
        for statement in document["Statement"]:
            actions = statement["Action"]
            resources = statement["Resource"]
            actions = [actions] if isinstance(actions, str) else actions
            resources = [resources] if isinstance(resources, str) else resources
            if (
                statement["Effect"] == "Allow"
                and any(fnmatchcase(need.action, a) for a in actions)
                and any(fnmatchcase(need.resource, r) for r in resources)
            ):
                return True
    return False


def _size(document: Any) -> int:
    return len(json.dumps(document, separators=(",", ":")))


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def _handlers_statement(actions: list[str]) -> dict[str, Any]:
    return {"Sid": "ResourceHandlers", "Effect": "Allow", "Action": actions, "Resource": "*"}


def _scoped_statements(target: Target) -> list[dict[str, Any]]:
    """iam:PassRole on the stages' own roles, to the services that take them; bootstrap reads."""
    p, account = target.partition, target.account
    return [
        {
            "Sid": "PassStageRoles",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": [f"arn:{p}:iam::{account}:role/{prefix}-*" for prefix in target.prefixes],
            "Condition": {"StringEquals": {"iam:PassedToService": list(PASSED_TO)}},
        },
        {
            "Sid": "BootstrapAssets",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": f"arn:{p}:s3:::cdk-{target.qualifier}-assets-{account}-*/*",
        },
    ]


def policy_documents(
    target: Target, actions: list[str], needs: Iterable[Need] = ()
) -> list[dict[str, Any]]:
    """IAM policy documents, as few as the managed-policy size limit allows.

    iam:PassRole is left out of the handlers' action list and granted only on the
    roles the stages create (their names start with the stage's namespace); what the
    templates make CloudFormation read (`needs`) is granted on exactly those resources.
    """
    fixed = [*_scoped_statements(target), *_needs_statements(needs)]
    chunks: list[list[str]] = [[]]
    for action in (a for a in actions if a != "iam:PassRole"):
        candidate = [*chunks[-1], action]
        extra = fixed if len(chunks) == 1 else []
        if _size(_document([_handlers_statement(candidate), *extra])) > POLICY_LIMIT:
            chunks.append([action])
        else:
            chunks[-1] = candidate
    return [
        _document([_handlers_statement(chunk), *(fixed if n == 0 else [])])
        for n, chunk in enumerate(chunks)
    ]


def policy_names(documents: list[dict[str, Any]]) -> list[str]:
    return [f"{POLICY_PREFIX}-{n}" for n in range(1, len(documents) + 1)]
