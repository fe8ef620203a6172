"""Bad configs, cost controls: tags (AWS's key and value rules, reserved prefixes, at
most 50 a resource) and off-hours schedules (cron as Application Auto Scaling accepts
it, bounds within the endpoint's, never 0 instances). Each gives exactly one line."""

from __future__ import annotations

import yaml

from tests.config_errors import SOURCE, P, algorithm, errors_for, one_line_each, stage
from tests.imported_network import IMPORTED

OFF = {"cron": "cron(0 20 ? * MON-FRI *)", "min_instances": 1, "max_instances": 1}


def scheduled(*actions: dict, **endpoint: object) -> str:
    body = {"max_instances": 4, **endpoint, "schedule": [{**OFF, **a} for a in actions]}
    return algorithm("kmeans", {"endpoint": body})


def app_tags(tags: dict) -> str:
    return yaml.safe_dump({"tags": tags, "stages": {"dev": {"algorithms": {"kmeans": None}}}})


S = f"{P}.algorithms.kmeans.endpoint.schedule.0"

CASES = [
    (
        "a tag key with a character AWS refuses",
        stage({"tags": {"cost#center": "ml"}}),
        f"{P}.tags.cost#center — a tag key may not hold '#' (letters, digits, spaces and "
        "_ . : / = + - @)",
    ),
    (
        "a tag value with a character AWS refuses",
        algorithm("kmeans", {"tags": {"team": "fraud&risk"}}),
        f"{P}.algorithms.kmeans.tags.team: fraud&risk — a tag value may not hold '&' "
        "(letters, digits, spaces and _ . : / = + - @)",
    ),
    (
        "the aws: prefix",
        app_tags({"AWS:owner": "me"}),
        f"{SOURCE}: tags.AWS:owner — the aws: prefix is reserved for AWS's own tags",
    ),
    (
        "this project's prefix",
        stage({"tags": {"sagemaker-algorithms:stage": "other"}}),
        f"{P}.tags.sagemaker-algorithms:stage — the sagemaker-algorithms: prefix is reserved "
        "for this project",
    ),
    (
        "a tag key over 128 characters",
        stage({"tags": {"k" * 129: "v"}}),
        f"{P}.tags.{'k' * 129} — a tag key has 1 to 128 characters",
    ),
    (
        "a tag value over 256 characters",
        stage({"tags": {"k": "v" * 257}}),
        f"{P}.tags.k: {'v' * 257} — a tag value has at most 256 characters",
    ),
    (
        "a tag value that is no string",
        stage({"tags": {"year": 2026}}),
        f"{P}.tags.year: 2026 — must be a string (quote it)",
    ),
    (
        "more tags than a resource can carry",
        stage({"tags": {f"k{i}": "v" for i in range(48)}}),
        f"{P}.tags — 48 tags with the app's; with this project's 3 a resource would carry "
        "over 50 (allowed: at most 47)",
    ),
    (
        "an algorithm's tags push a resource over 50",
        yaml.safe_dump(
            {
                "tags": {f"a{i}": "v" for i in range(40)},
                "stages": {
                    "dev": {"algorithms": {"kmeans": {"tags": {f"k{i}": "v" for i in range(8)}}}}
                },
            }
        ),
        f"{P}.algorithms.kmeans.tags — 48 tags with the stage's and app's; with this "
        "project's 3 a resource would carry over 50 (allowed: at most 47)",
    ),
    (
        "a cron field out of range",
        scheduled({"cron": "cron(0 25 ? * MON-FRI *)"}),
        f"{S}.cron: cron(0 25 ? * MON-FRI *) — hours field: 25 is outside 0-23",
    ),
    (
        "a five-field (Unix) cron",
        scheduled({"cron": "cron(0 20 * * 1-5)"}),
        f"{S}.cron: cron(0 20 * * 1-5) — must be cron(minutes hours day-of-month month "
        "day-of-week year): six fields",
    ),
    (
        "a rate, not a cron",
        scheduled({"cron": "rate(1 day)"}),
        f"{S}.cron: rate(1 day) — must be cron(minutes hours day-of-month month "
        "day-of-week year): six fields",
    ),
    (
        "both day-of-month and day-of-week",
        scheduled({"cron": "cron(0 20 * * MON-FRI *)"}),
        f"{S}.cron: cron(0 20 * * MON-FRI *) — give day-of-month or day-of-week, and ? in "
        "the other",
    ),
    (
        "a day name that is none",
        scheduled({"cron": "cron(0 20 ? * MON-FRY *)"}),
        f"{S}.cron: cron(0 20 ? * MON-FRY *) — day-of-week field: 'FRY' is not a number",
    ),
    (
        "a schedule for one year only",
        scheduled({"cron": "cron(0 20 ? * MON-FRI 2027)"}),
        f"{S}.cron: cron(0 20 ? * MON-FRI 2027) — an off-hours schedule repeats every year: "
        "write * for the year",
    ),
    (
        "a time zone that is none",
        scheduled({"timezone": "Europe/Dubin"}),
        f"{S}.timezone: Europe/Dubin — not an IANA time zone name (e.g. Europe/Dublin, "
        "America/New_York, UTC)",
    ),
    (
        "scheduled minimum above maximum",
        scheduled({"min_instances": 3, "max_instances": 2}),
        f"{S}.min_instances: 3 — greater than max_instances (2)",
    ),
    (
        "scheduled maximum above the endpoint's",
        scheduled({"min_instances": 1, "max_instances": 6}),
        f"{S}.max_instances: 6 — above the endpoint's max_instances (4), which the instance "
        "quota check counts",
    ),
    (
        "a real-time endpoint scheduled down to 0 instances",
        scheduled({"min_instances": 0, "max_instances": 1}),
        f"{S}.min_instances: 0 — must be at least 1",
    ),
    (
        "a brought VPC's CIDR wider than a VPC (would open HTTPS to everyone)",
        stage({"network": {**IMPORTED, "cidr": "0.0.0.0/0"}}),
        f"{P}.network.cidr: 0.0.0.0/0 — must be the VPC's own CIDR block, /16 to /28 "
        "(a VPC is no larger than /16)",
    ),
]


@one_line_each(CASES)
def test_bad_cost_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]


def test_a_valid_schedule_and_tags_plan_cleanly() -> None:
    text = scheduled(
        {"cron": "cron(0/30 7-19 L * ? *)", "timezone": "Europe/Dublin"},
        {"cron": "cron(0 6 ? * 2#1 *)", "min_instances": 2, "max_instances": 4},
        min_instances=2,
    )
    assert errors_for(text) == []
    assert errors_for(stage({"tags": {"cost center": "ML/platform:é", "empty": ""}})) == []
