"""`python -m infra preflight` for counts whose AWS limit is an account quota (tuning,
Kinesis shards, API Gateway throttle), and the bootstrap fix of a pipeline-deployed
stage. Against botocore's Stubber, never AWS."""

from __future__ import annotations

from functools import partial

import pytest

from infra.preflight import Status, check_bootstrap, places
from infra.preflight_limits import check_api_throttle, check_kinesis, check_tuning_quotas
from tests.test_preflight import ACCOUNT, REGION, client, shared_stages, stage

PARALLEL = "Maximum number of parallel training jobs per hyperparameter tuning job"


def tuned(**tuning: object) -> dict:
    return {"xgboost": {"tuning": {"enabled": True, "max_parallel_jobs": 1, **tuning}}}


def test_tuning_within_the_defaults_needs_no_quota() -> None:
    assert check_tuning_quotas(stage(tuned(max_jobs=750, max_parallel_jobs=10)), {}) == []


@pytest.mark.parametrize(
    ("value", "status", "detail"),
    [(20.0, Status.OK, "20 ≥ 20"), (10.0, Status.BLOCKED, "10 < 20")],
)
def test_parallel_trainings_above_10_read_the_accounts_quota(value, status, detail) -> None:
    [check] = check_tuning_quotas(
        stage(tuned(max_jobs=40, max_parallel_jobs=20)), {PARALLEL: ("L-PARALLEL", value)}
    )
    assert (check.check, check.status, check.detail) == (
        "xgboost: parallel training jobs per hyperparameter tuning job",
        status,
        detail,
    )
    if status is Status.BLOCKED:
        assert check.fix.endswith("--quota-code L-PARALLEL --desired-value 20")


def test_a_random_search_beyond_750_jobs_warns_when_no_quota_is_listed() -> None:
    [check] = check_tuning_quotas(stage(tuned(strategy="Random", max_jobs=5000)), {})
    assert check.status is Status.WARNING
    assert check.detail == "needs 5000, default 750; not listed: ask AWS Support"


def streaming_stage(**stream: object):
    return stage({"randomcutforest": None}, streaming={"stream": stream})


def limits(open_shards: int, shard_limit: int) -> dict:
    return {
        "ShardLimit": shard_limit,
        "OpenShardCount": open_shards,
        "OnDemandStreamCount": 0,
        "OnDemandStreamCountLimit": 50,
    }


@pytest.mark.parametrize(
    ("open_shards", "status"), [(190, Status.OK), (195, Status.BLOCKED)], ids=["fits", "over"]
)
def test_provisioned_shards_fit_the_accounts_shard_limit(open_shards, status) -> None:
    kinesis, stubber = client("kinesis")
    stubber.add_response("describe_limits", limits(open_shards, 200))
    check = check_kinesis(streaming_stage(mode="provisioned", shards=10), kinesis)
    assert check.status is status
    assert check.detail == f"{open_shards} open + 10 shards of 200"


def test_an_on_demand_stream_counts_against_the_on_demand_stream_limit() -> None:
    kinesis, stubber = client("kinesis")
    stubber.add_response("describe_limits", limits(0, 200))
    check = check_kinesis(streaming_stage(), kinesis)
    assert (check.status, check.detail) == (Status.OK, "0 on-demand streams + 1 of 50")


def test_streams_in_one_account_and_region_add_up_their_shards() -> None:
    # 10 shards each fit 185 open of 200 alone; dev's and staging's 20 together do not.
    streaming = {"enabled": True, "stream": {"mode": "provisioned", "shards": 10}}
    dev, staging = shared_stages(
        "dev", "staging", algorithms={"randomcutforest": None}, streaming=streaming
    )
    kinesis, stubber = client("kinesis")
    stubber.add_response("describe_limits", limits(185, 200))
    assert check_kinesis(dev, kinesis).status is Status.OK
    stubber.add_response("describe_limits", limits(185, 200))
    (place,) = places((dev, staging))
    check = check_kinesis(place, kinesis)
    assert (check.stage, check.status, check.detail) == (
        f"{ACCOUNT}/{REGION} (dev, staging)",
        Status.BLOCKED,
        "185 open + 20 shards (dev 10 + staging 10) of 200",
    )
    assert "the shard limit to at least 205" in check.fix


def api_stage(rate: int, burst: int):
    api = {"enabled": True, "throttle_rate_per_second": rate, "throttle_burst": burst}
    return stage({"kmeans": {"endpoint": {"model_uri": "s3://bucket/m/model.tar.gz", "api": api}}})


@pytest.mark.parametrize(
    ("account_rate", "account_burst", "status"),
    [(10000.0, 5000, Status.OK), (1000.0, 500, Status.BLOCKED)],
    ids=["default account", "lowered account"],
)
def test_api_throttles_stay_within_the_accounts(account_rate, account_burst, status) -> None:
    apigateway, stubber = client("apigateway")
    throttle = {"burstLimit": account_burst, "rateLimit": account_rate}
    stubber.add_response("get_account", {"throttleSettings": throttle})
    check = check_api_throttle(api_stage(2000, 1000), lambda: apigateway)
    assert check is not None
    assert check.status is status
    if status is Status.BLOCKED:
        assert check.detail == "account: 1000/s burst 500; kmeans asks 2000/s burst 1000"


def test_no_api_no_call() -> None:
    assert check_api_throttle(stage({"kmeans": None}), partial(pytest.fail, "called")) is None


def test_a_pipeline_deployed_stage_is_bootstrapped_trusting_the_pipeline() -> None:
    ssm, stubber = client("ssm")
    stubber.add_client_error("get_parameter", "ParameterNotFound", "missing", 400)
    check = check_bootstrap(stage({"kmeans": None}), ssm, trust="444444444444")
    assert check.fix == (
        f"npx cdk bootstrap aws://{ACCOUNT}/{REGION} --trust 444444444444 --trust-for-lookup "
        "444444444444 --cloudformation-execution-policies <the policies `python -m infra "
        "bootstrap` prints>"
    )


def test_a_deployed_stream_is_not_counted_twice() -> None:
    """Once deployed, the scorer's own stream is among the account's open shards: a
    re-run takes it out before adding the planned shards back."""
    from infra.preflight_limits import DeployedStream

    streaming = {"enabled": True, "stream": {"mode": "provisioned", "shards": 10}}
    (dev,) = shared_stages("dev", algorithms={"randomcutforest": None}, streaming=streaming)
    kinesis, stubber = client("kinesis")
    stubber.add_response("describe_limits", limits(195, 200))
    # Read as a first deploy, 195 open + 10 would pass 200 ...
    assert check_kinesis(dev, kinesis).status is Status.BLOCKED
    # ... but 10 of the 195 are this stage's own stream.
    stubber.add_response("describe_limits", limits(195, 200))
    check = check_kinesis(dev, kinesis, lambda stage: DeployedStream("provisioned", 10))
    assert (check.status, check.detail) == (
        Status.OK,
        "185 open (besides this app's 10) + 10 shards of 200",
    )


def test_the_deployed_stream_is_read_from_the_streaming_stack() -> None:
    from infra.preflight_limits import DeployedStream, deployed_stream

    streaming = {"enabled": True, "stream": {"mode": "provisioned", "shards": 10}}
    (dev,) = shared_stages("dev", algorithms={"randomcutforest": None}, streaming=streaming)
    cloudformation, cfn = client("cloudformation")
    kinesis, stubber = client("kinesis")
    stack = dev.stack_name("Streaming")
    cfn.add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {stack} does not exist"
    )
    assert deployed_stream(dev, cloudformation, kinesis) is None
    cfn.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": stack,
                    "CreationTime": "2026-12-01T00:00:00Z",
                    "StackStatus": "UPDATE_COMPLETE",
                    "Outputs": [{"OutputKey": "StreamName", "OutputValue": "dev-records"}],
                }
            ]
        },
        {"StackName": stack},
    )
    stubber.add_response(
        "describe_stream_summary",
        {
            "StreamDescriptionSummary": {
                "StreamName": "dev-records",
                "StreamARN": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/dev-records",
                "StreamStatus": "ACTIVE",
                "StreamModeDetails": {"StreamMode": "PROVISIONED"},
                "RetentionPeriodHours": 24,
                "StreamCreationTimestamp": "2026-12-01T00:00:00Z",
                "EnhancedMonitoring": [],
                "OpenShardCount": 10,
            }
        },
        {"StreamName": "dev-records"},
    )
    assert deployed_stream(dev, cloudformation, kinesis) == DeployedStream("provisioned", 10)
