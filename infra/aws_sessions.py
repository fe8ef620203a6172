"""Credentials for reading a stage's account: the only AWS calls outside a deploy
(`models refresh`, `preflight`), never made at synth or in tests.

The caller's own credentials when they are in that account; otherwise the account's
CDK lookup role `cdk-<qualifier>-lookup-role-<account>-<region>` (ReadOnlyAccess,
assumable by the accounts bootstrapped with `--trust-for-lookup`), as the CDK CLI
does for its own context lookups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from infra.names import CDK_DEFAULT_QUALIFIER

# Throttling and transient errors are retried by botocore's standard mode
# (exponential backoff with jitter), up to this many attempts per call.
RETRIES = Config(retries={"mode": "standard", "max_attempts": 8})


class AccountAccessError(Exception):
    """No way into an account with these credentials: one line, what to fix."""


def lookup_role_arn(
    account: str, region: str, qualifier: str | None, partition: str = "aws"
) -> str:
    """The CDK bootstrap lookup role of an account and region."""
    q = qualifier or CDK_DEFAULT_QUALIFIER
    return f"arn:{partition}:iam::{account}:role/cdk-{q}-lookup-role-{account}-{region}"


def _assumed(credentials: dict[str, Any]) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@dataclass
class AccountSessions:
    """Sessions that can read an account: the caller's, or its lookup role's."""

    session: boto3.Session
    assumed: Callable[[dict[str, Any]], boto3.Session] = _assumed
    purpose: str = "sagemaker-algorithms"
    # Assume the lookup role in the caller's own account too (the delivery pipeline's
    # role may assume lookup roles and read nothing itself).
    prefer_lookup_role: bool = False
    _cache: dict[tuple[str | None, str | None], Any] = field(default_factory=dict)

    def client(
        self, service: str, account: str | None, region: str | None, qualifier: str | None
    ) -> Any:
        """A client of `service` reading `account` in `region` (None: the caller's)."""
        region = region or self.session.region_name
        return self._session(account, region, qualifier).client(
            service, region_name=region, config=RETRIES
        )

    def _session(self, account: str | None, region: str | None, qualifier: str | None) -> Any:
        if account is None:
            return self.session
        if (account, region) in self._cache:
            return self._cache[(account, region)]
        sts = self.session.client("sts", region_name=region, config=RETRIES)
        identity = sts.get_caller_identity()
        if identity["Account"] == account and not self.prefer_lookup_role:
            chosen: Any = self.session
        else:
            role = lookup_role_arn(account, str(region), qualifier, identity["Arn"].split(":")[1])
            try:
                credentials = sts.assume_role(RoleArn=role, RoleSessionName=self.purpose)
            except ClientError as error:
                raise AccountAccessError(
                    f"cannot assume {role} ({error.response['Error'].get('Code')}); bootstrap "
                    f"account {account} with `cdk bootstrap --trust-for-lookup "
                    f"{identity['Account']}`, or run with credentials of {account}"
                ) from error
            chosen = self.assumed(credentials["Credentials"])
        self._cache[(account, region)] = chosen
        return chosen
