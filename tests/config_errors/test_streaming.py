"""Bad configs, streaming: the stream, record features, the scorer.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

import yaml

from tests.config_errors import P, errors_for, one_line_each, stage

CASES = [
    (
        "stream features that do not match the model",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"features": {"fields": ["latency", "bytes"]}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.features — 2 feature(s) per record, but randomcutforest is trained with "
        "feature_dim 1",
    ),
    (
        "shards on an on-demand stream",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"stream": {"shards": 4}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.stream.shards: 4 — only with mode: provisioned",
    ),
    (
        "JSON fields for CSV records",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"features": {"format": "csv", "fields": ["value"]}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f'{P}.streaming.features.fields: ["value"] — for json records; CSV records use columns',
    ),
    (
        "unbounded stream retries",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"scorer": {"retry_attempts": -1}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.scorer.retry_attempts: -1 — must be at least 0",
    ),
    (
        "streaming without Random Cut Forest",
        stage({"streaming": {"enabled": True}}),
        f"{P}.streaming.enabled: true — streaming needs randomcutforest enabled with its "
        "real-time endpoint",
    ),
]


@one_line_each(CASES)
def test_bad_streaming_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]


def test_reserved_concurrency_is_bounded_by_what_an_account_can_hold() -> None:
    text = stage({"streaming": {"scorer": {"reserved_concurrency": 950}}})
    assert errors_for(text.replace("kmeans", "randomcutforest")) == [
        f"{P}.streaming.scorer.reserved_concurrency: 950 — must be at most 900"
    ]


def test_streaming_where_the_powertools_layer_is_not_published_is_refused() -> None:
    text = stage({"region": "me-south-1", "streaming": {"enabled": True}})
    assert errors_for(text.replace("kmeans", "randomcutforest")) == [
        f"{P}.streaming.enabled: true — the stream scorer's Powertools layer is not published "
        "in me-south-1; set streaming.enabled: false for this stage"
    ]
