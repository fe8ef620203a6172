"""Undelivered monitoring notifications outlive the stack in a durable stage (issue 20
review): the queue follows the stage's removal policy, like its buckets and key."""

from __future__ import annotations

from tests.conftest import Assembly


def _undelivered(template: dict) -> dict:
    [queue] = [
        resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::SQS::Queue" and "UndeliveredNotifications" in logical_id
    ]
    return queue


def test_a_durable_stage_retains_its_undelivered_notifications(
    three_stage_assembly: Assembly,
) -> None:
    queue = _undelivered(three_stage_assembly.templates()["prod/Foundation"])
    assert queue["DeletionPolicy"] == "Retain"
    assert queue["UpdateReplacePolicy"] == "Retain"


def test_an_ephemeral_stage_deletes_them_with_the_stack(default_assembly: Assembly) -> None:
    queue = _undelivered(default_assembly.templates()["dev/Foundation"])
    assert queue["DeletionPolicy"] == "Delete"
