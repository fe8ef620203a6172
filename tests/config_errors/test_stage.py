"""Bad configs, the stage and its data plane: schema, regions, network, FSx, retention.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

import yaml

from tests.config_errors import SOURCE, P, algorithm, errors_for, one_line_each, stage

CASES = [
    (
        "unknown top-level key",
        "stages: {dev: {algorithms: {kmeans: }}}\nstage: {}\n",
        f"{SOURCE}: stage — unknown key (allowed: pipeline, stages, tags)",
    ),
    (
        "unknown stage key",
        stage({"regoin": "eu-west-1"}),
        f"{P}.regoin — unknown key (allowed: account, algorithms, bootstrap_qualifier, "
        "ephemeral, fsx, model_servers, models_from, namespace, network, production, region, "
        "retention, streaming, tags, termination_protection)",
    ),
    (
        "unquoted account id",
        stage({"account": 123456789012}),
        f"{P}.account: 123456789012 — must be a string (quote it)",
    ),
    (
        "short account id",
        stage({"account": "12345"}),
        f'{P}.account: "12345" — must be a 12-digit AWS account id, quoted so leading zeros '
        "survive",
    ),
    (
        "duplicate stage names",
        "stages:\n  dev: {algorithms: {kmeans: }}\n  dev: {algorithms: {pca: }}\n",
        f"{SOURCE}: line 3 — duplicate key 'dev' (first at line 2)",
    ),
    (
        "stage name with invalid characters",
        "stages: {dev_1: {algorithms: {kmeans: }}}\n",
        f"{SOURCE}: stages.dev_1: dev_1 — stage names start with a letter and use letters, "
        "digits and hyphens (at most 20 characters)",
    ),
    (
        "not a mapping",
        "- dev\n",
        f"{SOURCE} — the file must be a mapping with a top-level `stages:` key",
    ),
    (
        "algorithm that does not exist",
        algorithm("xgboos", {}),
        f"{P}.algorithms.xgboos — unknown algorithm (allowed: linear-learner, xgboost, seq2seq, "
        "forecasting-deepar, blazingtext, object2vec, object-detection, image-classification, "
        "semantic-segmentation, randomcutforest, ntm, lda, knn, kmeans, pca, "
        "factorization-machines, ipinsights, reinforcement-learning)",
    ),
    (
        "region that does not exist",
        stage({"region": "eu-middle-1"}),
        f"{P}.region: eu-middle-1 — not a region where SageMaker runs",
    ),
    (
        "LDA in a region where it is not published",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "region": "sa-east-1",
                        "algorithms": {"lda": {"monitoring": {"enabled": False}}},
                    }
                }
            }
        ),
        f"{P}.region: sa-east-1 — lda is not published in this region (published in 16: "
        "ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, "
        "ca-central-1, eu-central-1, eu-west-1, eu-west-2, us-east-1, us-east-2, us-gov-west-1, "
        "us-iso-east-1, us-isob-east-1, us-west-1, us-west-2)",
    ),
    (
        "FSx capacity not allowed for the deployment type",
        stage({"fsx": {"storage_capacity_gib": 3000}}),
        f"{P}.fsx.storage_capacity_gib: 3000 — SCRATCH_2 takes 1200, 2400 or a multiple of "
        "2400 GiB",
    ),
    (
        "FSx throughput not offered for PERSISTENT_2",
        stage({"fsx": {"deployment_type": "PERSISTENT_2", "per_unit_storage_throughput": 200}}),
        f"{P}.fsx.per_unit_storage_throughput: 200 — not a PERSISTENT_2 throughput in "
        "MB/s/TiB (allowed: 125, 250, 500, 1000)",
    ),
    (
        "FSx throughput on a scratch file system",
        stage({"fsx": {"per_unit_storage_throughput": 125}}),
        f"{P}.fsx.per_unit_storage_throughput — SCRATCH_2 has no per-unit throughput "
        "setting; remove it",
    ),
    (
        "negative retention",
        stage({"retention": {"capture_days": -1}}),
        f"{P}.retention.capture_days: -1 — must be at least 1",
    ),
    (
        "imported VPC with one subnet",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "eu-west-1a"}
                    ],
                }
            }
        ),
        f'{P}.network.subnets: ["subnet-0aaaaaaaaaaaaaaaa"] — an imported VPC needs private '
        "subnets in at least two availability zones",
    ),
    (
        "FSx subnet that is not one of the VPC's",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "eu-west-1a"},
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
                "fsx": {"subnet_id": "subnet-0cccccccccccccccc"},
            }
        ),
        f"{P}.fsx.subnet_id: subnet-0cccccccccccccccc — not one of the VPC's subnets "
        "(allowed: subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb)",
    ),
    (
        "FSx subnet with a created VPC",
        stage({"fsx": {"subnet_id": "subnet-0cccccccccccccccc"}}),
        f"{P}.fsx.subnet_id: subnet-0cccccccccccccccc — only with an imported VPC "
        "(network.vpc_id); a created VPC places FSx itself",
    ),
    (
        "imported subnet outside the stage's region",
        stage(
            {
                "region": "us-east-1",
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "us-east-1a"},
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
            }
        ),
        f"{P}.network.subnets.1.availability_zone: eu-west-1b — not an availability zone of "
        "the stage's region us-east-1",
    ),
    (
        "endpoints without route tables",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "subnets": [
                        {
                            "id": "subnet-0aaaaaaaaaaaaaaaa",
                            "availability_zone": "eu-west-1a",
                            "route_table_id": "rtb-0aaaaaaaaaaaaaaaa",
                        },
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
            }
        ),
        f"{P}.network.subnets.1.route_table_id — required to attach the S3 gateway endpoint "
        "(or set endpoints: false)",
    ),
    (
        "VPC id of the wrong form",
        stage({"network": {"vpc_id": "vpc-xyz", "cidr": "10.1.0.0/16", "subnets": []}}),
        f"{P}.network.vpc_id: vpc-xyz — must be a VPC id like vpc-0123456789abcdef0",
    ),
]


@one_line_each(CASES)
def test_bad_stage_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
