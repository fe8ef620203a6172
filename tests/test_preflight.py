"""`python -m infra preflight`: every outcome against botocore's Stubber, never AWS."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import yaml
from botocore.stub import Stubber

from infra import cli
from infra.config import parse_config
from infra.plan import StagePlan, build_plan
from infra.preflight import (
    SERVERLESS_CONCURRENCY_QUOTA,
    Check,
    Status,
    Usage,
    check_bootstrap,
    check_lambda,
    check_network,
    check_quotas,
    instance_needs,
    preflight,
    render,
)
from tests.imported_network import IMPORTED

ACCOUNT, REGION = "111111111111", "eu-west-1"


def stage(algorithms: dict, **extra: object) -> StagePlan:
    body = {"account": ACCOUNT, "region": REGION, "algorithms": algorithms, **extra}
    config = parse_config(yaml.safe_dump({"stages": {"dev": body}}), "c.yaml")
    return build_plan(config, "c.yaml").stages[0]


XGBOOST = {
    "xgboost": {
        "training": {"instance_type": "ml.m5.4xlarge", "instance_count": 2, "spot": False},
        "tuning": {"max_parallel_jobs": 3},
        "endpoint": {
            "instance_type": "ml.m5.xlarge",
            "max_instances": 4,
            "variants": [
                {"name": "b", "model_uri": "s3://models-b/model.tar.gz", "instance_count": 2}
            ],
        },
        "serverless": {"enabled": False},
    }
}


def client(service: str) -> tuple[Any, Stubber]:
    made = boto3.client(
        service, region_name=REGION, aws_access_key_id="t", aws_secret_access_key="t"
    )
    stubber = Stubber(made)
    stubber.activate()
    return made, stubber


def test_instances_needed_at_once_per_type_and_use():
    # A tuning job runs 3 trainings of 2 instances; the endpoint scales to 4 and its
    # variant runs 2 more, twice over during a blue/green update; the monitoring jobs
    # one instance; waiting endpoints count.
    assert instance_needs(stage(XGBOOST)) == {
        ("ml.m5.4xlarge", Usage.TRAINING): 6,
        ("ml.m5.xlarge", Usage.ENDPOINT): 12,
        ("ml.m5.xlarge", Usage.PROCESSING): 1,
    }


def test_asynchronous_endpoints_count_at_their_maximum_too():
    # Waiting for a model still counts; blue and green fleets side by side.
    asynchronous = {"kmeans": {"async": {"enabled": True, "instance_type": "ml.c5.xlarge"}}}
    needs = instance_needs(stage(asynchronous))
    assert needs[("ml.c5.xlarge", Usage.ENDPOINT)] == 4


def quotas(**values: float) -> dict[str, tuple[str, float]]:
    return {name: (f"L-{i:08X}", value) for i, (name, value) in enumerate(values.items())}


def test_quotas_below_the_need_block_with_the_request_to_make():
    found = {
        "ml.m5.4xlarge for training job usage": ("L-TRAIN", 4.0),
        "ml.m5.xlarge for endpoint usage": ("L-ENDPOINT", 12.0),
    }
    checks = check_quotas(stage(XGBOOST), found)
    assert checks == [
        Check(
            "dev",
            "ml.m5.4xlarge for training job usage",
            Status.BLOCKED,
            "4 < 6",
            "aws service-quotas request-service-quota-increase --service-code sagemaker "
            "--quota-code L-TRAIN --desired-value 6",
        ),
        Check("dev", "ml.m5.xlarge for endpoint usage", Status.OK, "12 ≥ 12"),
        Check(
            "dev",
            "ml.m5.xlarge for processing job usage",
            Status.WARNING,
            "needs 1; no such quota listed",
        ),
    ]


def test_serverless_endpoints_count_against_the_account_wide_quotas():
    kmeans_and_lda = {
        "kmeans": {"endpoint": {"enabled": False}},
        "lda": {"endpoint": {"enabled": False}},
    }
    found = {
        "Maximum number of serverless endpoints": ("L-99AD19BF", 5.0),
        "Maximum total concurrency that can be allocated across all serverless endpoints": (
            "L-96300102",
            10.0,
        ),
    }
    checks = {c.check: c for c in check_quotas(stage(kmeans_and_lda), found)}
    assert checks["Maximum number of serverless endpoints"].status is Status.OK
    total = checks[
        "Maximum total concurrency that can be allocated across all serverless endpoints"
    ]
    assert (total.status, total.detail) == (Status.BLOCKED, "10 < 20")
    assert total.fix.endswith("--quota-code L-96300102 --desired-value 20")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("32", Check("dev", "CDK bootstrap", Status.OK, "/cdk-bootstrap/hnb659fds/version = 32")),
        (
            "6",
            Check(
                "dev",
                "CDK bootstrap",
                Status.BLOCKED,
                "/cdk-bootstrap/hnb659fds/version = 6 < 8",
                f"npx cdk bootstrap aws://{ACCOUNT}/{REGION}",
            ),
        ),
        (
            None,
            Check(
                "dev",
                "CDK bootstrap",
                Status.BLOCKED,
                "/cdk-bootstrap/hnb659fds/version missing",
                f"npx cdk bootstrap aws://{ACCOUNT}/{REGION}",
            ),
        ),
    ],
)
def test_bootstrap_version_under_the_stages_qualifier(answer: str | None, expected: Check):
    ssm, stubber = client("ssm")
    params = {"Name": "/cdk-bootstrap/hnb659fds/version"}
    if answer is None:
        stubber.add_client_error("get_parameter", "ParameterNotFound", "missing", 400, params)
    else:
        parameter = {"Name": params["Name"], "Type": "String", "Value": answer}
        stubber.add_response("get_parameter", {"Parameter": parameter}, params)
    assert check_bootstrap(stage({"kmeans": None}), ssm) == expected


def test_a_qualified_stage_is_checked_and_bootstrapped_with_its_qualifier():
    ssm, stubber = client("ssm")
    params = {"Name": "/cdk-bootstrap/stg42/version"}
    stubber.add_client_error("get_parameter", "ParameterNotFound", "missing", 400, params)
    check = check_bootstrap(stage({"kmeans": None}, bootstrap_qualifier="stg42"), ssm)
    assert check.fix == f"npx cdk bootstrap aws://{ACCOUNT}/{REGION} --qualifier stg42"


def account_settings(total: int, unreserved: int) -> dict:
    return {
        "AccountLimit": {
            "ConcurrentExecutions": total,
            "UnreservedConcurrentExecutions": unreserved,
        }
    }


RCF = {"randomcutforest": None}


@pytest.mark.parametrize(
    ("reserved", "total", "unreserved", "status", "detail"),
    [
        (None, 10, 10, Status.OK, "10 unreserved of 10"),
        (10, 1000, 1000, Status.OK, "reserving 10 leaves 990 of 1000 unreserved"),
        (10, 10, 10, Status.BLOCKED, "reserving 10 would leave 0 of 10 unreserved (minimum 10)"),
        (
            50,
            1000,
            120,
            Status.BLOCKED,
            "reserving 50 would leave 70 of 1000 unreserved (minimum 100)",
        ),
    ],
)
def test_the_scorers_reserved_concurrency_against_the_account(
    reserved: int | None, total: int, unreserved: int, status: Status, detail: str
):
    lambda_client, stubber = client("lambda")
    stubber.add_response("get_account_settings", account_settings(total, unreserved))
    plan = stage(RCF, streaming={"enabled": True, "scorer": {"reserved_concurrency": reserved}})
    check = check_lambda(plan, lambda_client)
    assert check is not None
    assert (check.status, check.detail) == (status, detail)
    if status is Status.BLOCKED:
        assert "--quota-code L-B99A9384" in check.fix


def test_no_scorer_no_lambda_check():
    assert check_lambda(stage({"kmeans": None}), None) is None


NETWORK = IMPORTED


def test_a_brought_network_is_checked_id_by_id():
    ec2, stubber = client("ec2")
    vpc = NETWORK["vpc_id"]
    in_vpc = {"Filters": [{"Name": "vpc-id", "Values": [vpc]}]}
    stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": vpc}]}, {"VpcIds": [vpc]})
    subnets = [
        {"SubnetId": "subnet-0aaaaaaaaaaaaaaaa", "AvailabilityZone": "eu-west-1a"},
        {"SubnetId": "subnet-0bbbbbbbbbbbbbbbb", "AvailabilityZone": "eu-west-1c"},
    ]
    stubber.add_response("describe_subnets", {"Subnets": subnets}, in_vpc)
    tables = [{"RouteTableId": "rtb-0aaaaaaaaaaaaaaaa"}]
    stubber.add_response("describe_route_tables", {"RouteTables": tables}, in_vpc)
    checks = check_network(stage({"kmeans": None}, network=NETWORK, fsx={"enabled": False}), ec2)
    assert [(c.check, c.status.value, c.detail) for c in checks] == [
        (f"VPC {vpc}", "ok", "exists"),
        ("subnet subnet-0aaaaaaaaaaaaaaaa", "ok", "eu-west-1a"),
        ("subnet subnet-0bbbbbbbbbbbbbbbb", "BLOCKED", "in eu-west-1c, not eu-west-1b"),
        ("route table rtb-0aaaaaaaaaaaaaaaa", "ok", "exists"),
        ("route table rtb-0bbbbbbbbbbbbbbbb", "BLOCKED", f"not in {vpc}"),
    ]


def test_a_missing_vpc_stops_the_network_checks():
    ec2, stubber = client("ec2")
    stubber.add_client_error("describe_vpcs", "InvalidVpcID.NotFound", "no such VPC", 400)
    checks = check_network(stage({"kmeans": None}, network=NETWORK, fsx={"enabled": False}), ec2)
    assert [(c.status, c.detail, c.fix) for c in checks] == [
        (Status.BLOCKED, "InvalidVpcID.NotFound", "fix network.vpc_id")
    ]


def stubbed_account(quota_value: float) -> dict[str, Any]:
    """Stubbed clients for one stage with kmeans only: bootstrapped, given quotas."""
    ssm, ssm_stub = client("ssm")
    ssm_stub.add_response(
        "get_parameter",
        {
            "Parameter": {
                "Name": "/cdk-bootstrap/hnb659fds/version",
                "Type": "String",
                "Value": "32",
            }
        },
    )
    quotas_client, quota_stub = client("service-quotas")
    page = {
        "Quotas": [
            {
                "QuotaName": "ml.m5.xlarge for training job usage",
                "QuotaCode": "L-CCE2AFA6",
                "Value": quota_value,
            },
            {
                "QuotaName": "ml.m5.xlarge for endpoint usage",
                "QuotaCode": "L-2F737F8D",
                "Value": 4.0,
            },
            {
                "QuotaName": "ml.m5.xlarge for processing job usage",
                "QuotaCode": "L-0307F515",
                "Value": 4.0,
            },
            {
                "QuotaName": "Maximum number of serverless endpoints",
                "QuotaCode": "L-99AD19BF",
                "Value": 5.0,
            },
            {
                "QuotaName": SERVERLESS_CONCURRENCY_QUOTA,
                "QuotaCode": "L-96300102",
                "Value": 10.0,
            },
        ]
    }
    quota_stub.add_response("list_service_quotas", page, {"ServiceCode": "sagemaker"})
    lambda_client, _ = client("lambda")
    ec2, _ = client("ec2")
    return {"ssm": ssm, "service-quotas": quotas_client, "lambda": lambda_client, "ec2": ec2}


def test_the_table_and_exit_status(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {"account": ACCOUNT, "region": REGION, "algorithms": {"kmeans": None}}
                }
            }
        )
    )
    # k-means tunes 2 trainings at once by default: 2 instances of ml.m5.xlarge.
    for quota, status in ((1.0, 1), (2.0, 0)):

        class Sessions:
            clients = stubbed_account(quota)

            def __init__(self, *args: object, **kwargs: object) -> None:
                pass

            def client(self, service: str, *args: object) -> Any:
                return self.clients[service]

        monkeypatch.setattr("infra.aws_sessions.AccountSessions", Sessions)
        assert cli.main(["preflight", str(config)]) == status
        out = capsys.readouterr().out
        header = [cell.strip() for cell in out.splitlines()[0].split(" | ")]
        assert header == ["stage", "check", "status", "detail"]
        if status:
            assert out.endswith(
                "To unblock:\ndev: ml.m5.xlarge for training job usage: aws service-quotas "
                "request-service-quota-increase --service-code sagemaker --quota-code "
                "L-CCE2AFA6 --desired-value 2\n"
            )
        else:
            assert "BLOCKED" not in out
            assert "To unblock" not in out


def test_preflight_walks_every_stage():
    seen: list[tuple[str, str]] = []

    def clients(service: str, planned: StagePlan) -> Any:
        seen.append((service, planned.name))
        return stubbed_account(2.0)[service]

    two = parse_config(
        yaml.safe_dump(
            {
                "stages": {
                    name: {
                        "account": ACCOUNT,
                        "region": REGION,
                        "namespace": name,
                        "algorithms": {"kmeans": None},
                    }
                    for name in ("dev", "prod")
                }
            }
        ),
        "c.yaml",
    )
    checks = preflight(build_plan(two, "c.yaml").stages, clients)
    assert {c.stage for c in checks} == {"dev", "prod"}
    assert seen == [
        ("ssm", "dev"),
        ("service-quotas", "dev"),
        ("lambda", "dev"),
        ("ec2", "dev"),
        ("ssm", "prod"),
        ("service-quotas", "prod"),
        ("lambda", "prod"),
        ("ec2", "prod"),
    ]
    assert "BLOCKED" not in render(checks)
