"""`python -m infra models refresh`: the registry lookup, against botocore's Stubber and a
local HTTP server (never AWS), and the record it writes into cdk.context.json."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.stub import Stubber

from infra import cli
from infra.aws_sessions import RETRIES, AccountSessions
from infra.plan.models import ApprovedPackage, Registry
from infra.registry_lookup import (
    Refreshed,
    RegistryLookupError,
    SessionClients,
    describe,
    newest_approved,
    refresh,
    write_records,
)

REGION = "eu-west-1"
DEV, TOOLING = "111111111111", "444444444444"
GROUP = "dev-xgboost-models"
REGISTRY = Registry(stage="dev", group=GROUP, account=DEV, region=REGION)
LIST_PARAMS = {
    "ModelPackageGroupName": GROUP,
    "ModelApprovalStatus": "Approved",
    "ModelPackageType": "Versioned",
    "SortBy": "CreationTime",
    "SortOrder": "Descending",
}


def arn(version: int, group: str = GROUP, account: str = DEV) -> str:
    return f"arn:aws:sagemaker:{REGION}:{account}:model-package/{group}/{version}"


def summary(version: int, group: str = GROUP) -> dict[str, Any]:
    return {
        "ModelPackageGroupName": group,
        "ModelPackageVersion": version,
        "ModelPackageArn": arn(version, group),
        "CreationTime": dt.datetime(2026, 11, version, tzinfo=dt.UTC),
        "ModelPackageStatus": "Completed",
        "ModelApprovalStatus": "Approved",
    }


def described(version: int, group: str = GROUP) -> dict[str, Any]:
    return {
        **summary(version, group),
        "ModelPackageName": group,
        "ModelPackageStatusDetails": {"ValidationStatuses": []},
        "InferenceSpecification": {
            "Containers": [
                {
                    "Image": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                    "ModelDataUrl": f"s3://dev-artifacts/models/xgboost/run{version}/model.tar.gz",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    }


def sagemaker() -> Any:
    return boto3.client(
        "sagemaker",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def stubbed(*pages: list[dict[str, Any]], newest: int | None = None, group: str = GROUP):
    client = sagemaker()
    stubber = Stubber(client)
    for index, page in enumerate(pages):
        params = {**LIST_PARAMS, "ModelPackageGroupName": group}
        if index:
            params["NextToken"] = f"page{index}"
        response: dict[str, Any] = {"ModelPackageSummaryList": page}
        if index < len(pages) - 1:
            response["NextToken"] = f"page{index + 1}"
        stubber.add_response("list_model_packages", response, params)
    if newest is not None:
        stubber.add_response(
            "describe_model_package",
            described(newest, group),
            {"ModelPackageName": arn(newest, group)},
        )
    stubber.activate()
    return client, stubber


def test_no_approved_package_is_none():
    client, stubber = stubbed([])
    assert newest_approved(client, GROUP) is None
    stubber.assert_no_pending_responses()


def test_the_highest_approved_version_with_its_artifact():
    client, stubber = stubbed([summary(5), summary(4), summary(2)], newest=5)
    assert newest_approved(client, GROUP) == ApprovedPackage(
        arn=arn(5), version=5, model_data_url="s3://dev-artifacts/models/xgboost/run5/model.tar.gz"
    )
    stubber.assert_no_pending_responses()


def test_a_rejected_newest_version_is_not_served_the_previous_approved_one_is():
    # v3 was approved, then rejected: the Approved filter no longer returns it.
    client, _stubber = stubbed([summary(2), summary(1)], newest=2)
    package = newest_approved(client, GROUP)
    assert package is not None
    assert package.version == 2
    before = {REGISTRY.context_key: ApprovedPackage(arn(3), 3, None).to_context()}
    assert describe([Refreshed(REGISTRY, package)], before) == [f"{GROUP}: v2 (was v3)"]


def test_every_page_is_read_empty_pages_included():
    client, stubber = stubbed([], [summary(1)], [summary(7), summary(6)], newest=7)
    package = newest_approved(client, GROUP)
    assert package is not None
    assert package.version == 7
    stubber.assert_no_pending_responses()


def test_several_groups_each_get_their_own_lookup():
    kmeans = Registry(stage="dev", group="dev-kmeans-models", account=DEV, region=REGION)
    clients = {
        GROUP: stubbed([summary(3)], newest=3)[0],
        kmeans.group: stubbed([], group=kmeans.group)[0],
    }
    results = refresh([REGISTRY, kmeans], lambda registry: clients[registry.group])
    assert [(r.registry.group, r.package and r.package.version) for r in results] == [
        (GROUP, 3),
        ("dev-kmeans-models", None),
    ]


def test_a_group_not_yet_deployed_has_nothing_approved_other_errors_stop():
    missing = sagemaker()
    stubber = Stubber(missing)
    stubber.add_client_error(
        "list_model_packages",
        "ValidationException",
        f"ModelPackageGroup {GROUP} does not exist.",
        400,
    )
    stubber.activate()
    assert refresh([REGISTRY], lambda _: missing) == [Refreshed(REGISTRY, None)]
    broken = sagemaker()
    stubber = Stubber(broken)
    stubber.add_client_error("list_model_packages", "ValidationException", "1 validation error")
    stubber.activate()
    with pytest.raises(RegistryLookupError, match="ValidationException"):
        refresh([REGISTRY], lambda _: broken)


def test_access_denied_names_the_role_to_fix():
    client = sagemaker()
    stubber = Stubber(client)
    stubber.add_client_error("list_model_packages", "AccessDeniedException", "not authorized", 400)
    stubber.activate()
    with pytest.raises(RegistryLookupError) as error:
        refresh([REGISTRY], lambda _: client)
    assert str(error.value) == (
        f"{GROUP}: AccessDeniedException calling ListModelPackages; allow "
        "sagemaker:ListModelPackages and sagemaker:DescribeModelPackage on it for "
        f"arn:aws:iam::{DEV}:role/cdk-hnb659fds-lookup-role-{DEV}-{REGION}"
    )


class FakeSession:
    """A boto3 Session whose clients are stubbed: STS says who the caller is."""

    def __init__(self, caller: str, assume: str | None = None) -> None:
        self.region_name = REGION
        self.sts = boto3.client(
            "sts", region_name=REGION, aws_access_key_id="t", aws_secret_access_key="t"
        )
        stub = Stubber(self.sts)
        stub.add_response(
            "get_caller_identity",
            {"Account": caller, "Arn": f"arn:aws:iam::{caller}:role/ci", "UserId": "AROA:ci"},
        )
        if assume == "denied":
            stub.add_client_error("assume_role", "AccessDenied", "not trusted", 403)
        elif assume is not None:
            expiry = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
            stub.add_response(
                "assume_role",
                {
                    "Credentials": {
                        "AccessKeyId": "ASIAEXAMPLEEXAMPLE",
                        "SecretAccessKey": "secret",
                        "SessionToken": "token",
                        "Expiration": expiry,
                    }
                },
                {"RoleArn": assume, "RoleSessionName": "sagemaker-algorithms"},
            )
        stub.activate()
        self.stub = stub
        self.clients: list[str] = []

    def client(self, name: str, region_name: str, config: Any) -> Any:
        self.clients.append(name)
        assert config is RETRIES
        return self.sts if name == "sts" else sagemaker()


def test_another_account_is_read_through_its_cdk_lookup_role():
    role = f"arn:aws:iam::{DEV}:role/cdk-hnb659fds-lookup-role-{DEV}-{REGION}"
    session = FakeSession(TOOLING, assume=role)
    assumed: list[dict[str, Any]] = []

    class Assumed:
        def client(self, name: str, region_name: str, config: Any) -> Any:
            return sagemaker()

    sessions = AccountSessions(session, assumed=lambda c: assumed.append(c) or Assumed())  # type: ignore[arg-type]
    SessionClients(sessions)(REGISTRY)
    session.stub.assert_no_pending_responses()
    assert assumed[0]["SessionToken"] == "token"


def test_a_registry_in_the_callers_own_account_uses_its_credentials():
    session = FakeSession(DEV)
    SessionClients(AccountSessions(session))(REGISTRY)  # type: ignore[arg-type]
    session.stub.assert_no_pending_responses()
    assert session.clients == ["sts", "sagemaker"]


def test_the_pipeline_reads_its_own_accounts_registry_through_the_lookup_role_too():
    role = f"arn:aws:iam::{DEV}:role/cdk-hnb659fds-lookup-role-{DEV}-{REGION}"
    session = FakeSession(DEV, assume=role)

    class Assumed:
        def client(self, name: str, region_name: str, config: Any) -> Any:
            return sagemaker()

    sessions = AccountSessions(session, assumed=lambda c: Assumed(), prefer_lookup_role=True)  # type: ignore[arg-type]
    SessionClients(sessions)(REGISTRY)
    session.stub.assert_no_pending_responses()  # assume_role was called


def test_an_untrusted_tooling_account_is_told_how_to_bootstrap():
    session = FakeSession(TOOLING, assume="denied")
    with pytest.raises(RegistryLookupError) as error:
        SessionClients(AccountSessions(session))(REGISTRY)  # type: ignore[arg-type]
    assert str(error.value) == (
        f"{GROUP}: cannot assume arn:aws:iam::{DEV}:role/cdk-hnb659fds-lookup-role-{DEV}-"
        f"{REGION} (AccessDenied); bootstrap account {DEV} with `cdk bootstrap "
        f"--trust-for-lookup {TOOLING}`, or run with credentials of {DEV}"
    )


class Throttling(BaseHTTPRequestHandler):
    """SageMaker's JSON API on localhost: throttles the first two calls, then answers."""

    calls: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        target = self.headers["X-Amz-Target"]
        Throttling.calls.append(target)
        if len(Throttling.calls) <= 2:
            status, body = 400, {"__type": "ThrottlingException", "message": "Rate exceeded"}
        elif target.endswith("ListModelPackages"):
            item = {**summary(4), "CreationTime": 1764547200}
            status, body = 200, {"ModelPackageSummaryList": [item]}
        else:
            status, body = 200, {**described(4), "CreationTime": 1764547200}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_throttling_is_retried_by_botocore_over_real_http():
    Throttling.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Throttling)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = boto3.client(
            "sagemaker",
            region_name=REGION,
            endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
            aws_access_key_id="t",
            aws_secret_access_key="t",
            config=RETRIES,
        )
        package = newest_approved(client, GROUP)
    finally:
        server.shutdown()
    assert package is not None
    assert package.version == 4
    assert Throttling.calls == [
        "SageMaker.ListModelPackages",
        "SageMaker.ListModelPackages",
        "SageMaker.ListModelPackages",
        "SageMaker.DescribeModelPackage",
    ]


def test_records_are_written_beside_other_context_and_removed_when_none_is_approved(
    tmp_path: Path,
):
    path = tmp_path / "cdk.context.json"
    kmeans = Registry(stage="dev", group="dev-kmeans-models", account=DEV, region=REGION)
    other = {"availability-zones:account=1:region=x": ["x-1a"]}
    path.write_text(json.dumps({**other, kmeans.context_key: {"arn": arn(1, kmeans.group)}}))
    package = ApprovedPackage(arn(5), 5, "s3://dev-artifacts/models/xgboost/run5/model.tar.gz")
    write_records(path, [Refreshed(REGISTRY, package), Refreshed(kmeans, None)])
    assert json.loads(path.read_text()) == {
        **other,
        REGISTRY.context_key: {
            "arn": arn(5),
            "version": 5,
            "modelDataUrl": "s3://dev-artifacts/models/xgboost/run5/model.tar.gz",
        },
    }
    assert REGISTRY.context_key == (
        f"sagemaker-approved-model:account={DEV}:region={REGION}:group={GROUP}"
    )


def test_the_command_records_what_the_plan_follows_and_says_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    config = tmp_path / "config.yaml"
    config.write_text(
        "stages:\n  dev:\n    account: '111111111111'\n    region: eu-west-1\n"
        "    algorithms: {xgboost: }\n"
    )
    context = tmp_path / "cdk.context.json"
    client, _ = stubbed([summary(2)], newest=2)
    monkeypatch.setattr("infra.registry_lookup.SessionClients", lambda sessions: lambda r: client)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    assert cli.main(["models", "refresh", str(config), "--context", str(context)]) == 0
    assert capsys.readouterr().out == f"{GROUP}: v2 (new)\n"
    records = json.loads(context.read_text())
    plan = cli.load_plan(str(config), records=records)
    served = plan.stages[0].algorithms[0].endpoint.main.source
    assert (served.model_package_arn, served.version) == (arn(2), 2)
