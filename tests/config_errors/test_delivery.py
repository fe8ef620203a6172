"""Bad configs, stages across accounts and regions, and the delivery pipeline.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

import yaml

from tests.config_errors import (
    NAMED_DEV,
    SOURCE,
    P,
    errors_for,
    one_line_each,
    stage,
    with_pipeline,
)

CASES = [
    (
        "two stages in the same account and region with one namespace",
        yaml.safe_dump(
            {
                "stages": {
                    "blue": {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "namespace": "ml",
                        "algorithms": {"kmeans": None},
                    },
                    "green": {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "namespace": "ML",
                        "algorithms": {"kmeans": None},
                    },
                }
            }
        ),
        f"{SOURCE}: stages.green.namespace: ML — stage blue may deploy to the same account "
        "and region with the same namespace: their stack and physical names would collide "
        "(set a different namespace)",
    ),
    (
        "an environment-agnostic stage may land on a named stage's namespace",
        yaml.safe_dump(
            {
                "stages": {
                    "a": {"region": "eu-west-1", "namespace": "ml", "algorithms": {"kmeans": None}},
                    "b": {"namespace": "ml", "algorithms": {"kmeans": None}},
                }
            }
        ),
        f"{SOURCE}: stages.b.namespace: ml — stage a may deploy to the same place with the "
        "same namespace: their stack and physical names would collide (set a different "
        "namespace)",
    ),
    (
        "two stages in one account and region both with an API front door",
        yaml.safe_dump(
            {
                "stages": {
                    name: {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "algorithms": {"kmeans": {"endpoint": {"api": {"enabled": True}}}},
                    }
                    for name in ("blue", "green")
                }
            }
        ),
        f"{SOURCE}: stages.green — stage blue may deploy to the same account and region and "
        "also has an API front door: API Gateway's logging role is one per account and region "
        "(enable endpoint APIs in one of the two stages)",
    ),
    (
        "an ephemeral production stage",
        stage({"production": True, "ephemeral": True}),
        f"{P}.ephemeral: true — a production stage retains its data: ephemeral must be false",
    ),
    (
        "a production stage without termination protection",
        stage({"production": True, "termination_protection": False}),
        f"{P}.termination_protection: false — a production stage keeps termination protection on",
    ),
    (
        "bootstrap qualifier with capitals",
        stage({"bootstrap_qualifier": "Prod"}),
        f"{P}.bootstrap_qualifier: Prod — must be 1 to 10 lowercase letters or digits "
        "(cdk bootstrap --qualifier)",
    ),
    (
        "pipeline connection that is not an ARN",
        with_pipeline({"dev": NAMED_DEV}, connection_arn="my-github"),
        f"{SOURCE}: pipeline.connection_arn: my-github — must be a CodeConnections ARN "
        "(arn:aws:codeconnections:<region>:<account>:connection/<id>)",
    ),
    (
        "pipeline deploying an environment-agnostic stage",
        with_pipeline({"dev": {"algorithms": {"kmeans": None}}}),
        f"{P} — a stage the delivery pipeline deploys names its account and region",
    ),
    (
        "pipeline in a region that does not exist",
        with_pipeline({"dev": NAMED_DEV}, region="eu-middle-9"),
        f"{SOURCE}: pipeline.region: eu-middle-9 — not an AWS region this project knows",
    ),
    (
        "pipeline bucket retention of zero days",
        with_pipeline({"dev": NAMED_DEV}, retention={"access_logs_days": 0}),
        f"{SOURCE}: pipeline.retention.access_logs_days: 0 — must be at least 1",
    ),
    (
        "pipeline retention key that only stages have",
        with_pipeline({"dev": NAMED_DEV}, retention={"capture_days": 30}),
        f"{SOURCE}: pipeline.retention.capture_days — unknown key "
        "(allowed: access_logs_days, noncurrent_versions_days)",
    ),
]


@one_line_each(CASES)
def test_bad_delivery_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
