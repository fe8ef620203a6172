"""Security group rules a change adds or removes (inline and standalone)."""

from __future__ import annotations

from collections.abc import Iterator

from infra.guardrails.template import text
from infra.review.assembly import Json

_PEERS = (
    ("CidrIp", "{}"),
    ("CidrIpv6", "{}"),
    ("SourceSecurityGroupId", "group {}"),
    ("DestinationSecurityGroupId", "group {}"),
    ("SourcePrefixListId", "prefix list {}"),
    ("DestinationPrefixListId", "prefix list {}"),
)


def _rule(direction: str, group: str, rule: Json) -> str:
    protocol = str(rule.get("IpProtocol", "-1"))
    if protocol == "-1":
        ports = "all traffic"
    else:
        low, high = rule.get("FromPort"), rule.get("ToPort")
        ports = f"{protocol} {low}" if low == high else f"{protocol} {low}-{high}"
    peer = next((fmt.format(text(rule[key])) for key, fmt in _PEERS if key in rule), "?")
    preposition = "from" if direction == "ingress" else "to"
    return f"{group}: {direction} {ports} {preposition} {peer}"


def _rules(template: Json) -> Iterator[str]:
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::EC2::SecurityGroup":
            for rule in properties.get("SecurityGroupIngress", []):
                yield _rule("ingress", logical_id, rule)
            for rule in properties.get("SecurityGroupEgress", []):
                yield _rule("egress", logical_id, rule)
        elif resource["Type"] in (
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
        ):
            direction = "ingress" if resource["Type"].endswith("Ingress") else "egress"
            yield _rule(direction, text(properties.get("GroupId", "?")), properties)


def security_group_changes(old: Json, new: Json) -> tuple[list[str], list[str]]:
    """(rules added, rules removed), each as one readable line."""
    before, after = set(_rules(old)), set(_rules(new))
    return sorted(after - before), sorted(before - after)
