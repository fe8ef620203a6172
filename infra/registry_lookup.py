"""`python -m infra models refresh CONFIG`: record each registry's newest approved package.

The one place this project calls AWS outside a deploy. It reads, per model package
group the config's endpoints follow, the approved versions (ListModelPackages with
ModelApprovalStatus=Approved, every page) and the newest one's artifact
(DescribeModelPackage), and writes them into `cdk.context.json`, where the CDK
records its own lookups (`npx cdk context` lists them). Synth then reads only that
file: offline and deterministic.

Credentials, per registry account: the caller's own when they are in that account,
else the account's CDK lookup role (`cdk-<qualifier>-lookup-role-<account>-<region>`,
ReadOnlyAccess; a tooling account assumes it once the target account was bootstrapped
with `--trust-for-lookup`), as the CDK CLI does for its context providers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from infra.aws_sessions import AccountAccessError, AccountSessions, lookup_role_arn
from infra.plan.models import ApprovedPackage, Registry

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}


class RegistryLookupError(Exception):
    """A lookup that cannot be done with these credentials: one line, what to fix."""


def newest_approved(client: Any, group: str) -> ApprovedPackage | None:
    """The approved version of `group` with the highest version number, or None.

    Every page is read: with a status filter a page may be empty and still carry a
    NextToken (the API filters after paging), so the first page is not enough.
    """
    newest: dict[str, Any] | None = None
    pages = client.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=group,
        ModelApprovalStatus="Approved",
        ModelPackageType="Versioned",
        SortBy="CreationTime",
        SortOrder="Descending",
    )
    for page in pages:
        for summary in page.get("ModelPackageSummaryList", []):
            if newest is None or summary["ModelPackageVersion"] > newest["ModelPackageVersion"]:
                newest = summary
    if newest is None:
        return None
    described = client.describe_model_package(ModelPackageName=newest["ModelPackageArn"])
    containers = described.get("InferenceSpecification", {}).get("Containers", [])
    url = None
    if containers:
        container = containers[0]
        url = container.get("ModelDataUrl") or (
            container.get("ModelDataSource", {}).get("S3DataSource", {}).get("S3Uri")
        )
    return ApprovedPackage(
        arn=described["ModelPackageArn"],
        version=int(described["ModelPackageVersion"]),
        model_data_url=url,
    )


ClientFactory = Callable[[Registry], Any]
"""A SageMaker client for the registry's account and region."""


class SessionClients:
    """SageMaker clients per registry, through one `AccountSessions` (its cache holds
    each account's session for every group there)."""

    def __init__(self, sessions: AccountSessions) -> None:
        self.sessions = sessions

    def __call__(self, registry: Registry) -> Any:
        try:
            return self.sessions.client(
                "sagemaker", registry.account, registry.region, registry.bootstrap_qualifier
            )
        except AccountAccessError as error:
            raise RegistryLookupError(f"{registry.group}: {error}") from error


@dataclass(frozen=True, slots=True)
class Refreshed:
    registry: Registry
    package: ApprovedPackage | None


def refresh(registries: Iterable[Registry], clients: ClientFactory) -> list[Refreshed]:
    """Look up each registry's newest approved package; raise RegistryLookupError on denial."""
    out = []
    for registry in registries:
        try:
            out.append(Refreshed(registry, newest_approved(clients(registry), registry.group)))
        except ClientError as error:
            code = error.response["Error"].get("Code", "")
            if code in _DENIED:
                who = "the caller's credentials"
                if registry.account and registry.region:
                    who = lookup_role_arn(
                        registry.account, registry.region, registry.bootstrap_qualifier
                    )
                raise RegistryLookupError(
                    f"{registry.group}: {code} calling {error.operation_name}; allow "
                    f"sagemaker:ListModelPackages and sagemaker:DescribeModelPackage on it "
                    f"for {who}"
                ) from error
            if _missing_group(error):
                # The group is created by the stage's first deploy: nothing approved yet
                # (the pipeline's first run refreshes before any stage exists).
                out.append(Refreshed(registry, None))
                continue
            raise RegistryLookupError(f"{registry.group}: {code}: {error}") from error
        except BotoCoreError as error:
            raise RegistryLookupError(f"{registry.group}: {error}") from error
    return out


def _missing_group(error: ClientError) -> bool:
    """A group that does not exist yet: SageMaker answers ResourceNotFound, or a
    ValidationException saying so."""
    code = error.response["Error"].get("Code", "")
    message = error.response["Error"].get("Message", "").lower()
    return code == "ResourceNotFound" or (
        code == "ValidationException" and ("does not exist" in message or "not found" in message)
    )


def write_records(path: Path, results: Iterable[Refreshed]) -> dict[str, object]:
    """Update `path` (cdk.context.json) in place: each found package recorded, each
    registry with none approved removed; other context left as it was."""
    context: dict[str, object] = json.loads(path.read_text()) if path.exists() else {}
    for result in results:
        key = result.registry.context_key
        if result.package is None:
            context.pop(key, None)
        else:
            context[key] = result.package.to_context()
    path.write_text(json.dumps(context, indent=2, sort_keys=True) + "\n")
    return context


def describe(results: Iterable[Refreshed], before: dict[str, object]) -> list[str]:
    """One line per registry: what it serves now, and whether that changed."""
    lines = []
    for result in results:
        key = result.registry.context_key
        was = ApprovedPackage.from_context(before.get(key))
        now = result.package
        name = result.registry.group
        if now is None:
            change = f" (was v{was.version}: its endpoints are removed at the next deploy)"
            lines.append(f"{name}: no approved package{change if was else ''}")
        elif was is None:
            lines.append(f"{name}: v{now.version} (new)")
        elif was.version != now.version:
            lines.append(f"{name}: v{now.version} (was v{was.version})")
        else:
            lines.append(f"{name}: v{now.version} (unchanged)")
    return lines
