"""A brought VPC, by ids, as a stage config names it (tests of the foundation and preflight)."""

from __future__ import annotations

IMPORTED = {
    "vpc_id": "vpc-0123456789abcdef0",
    "cidr": "10.1.0.0/16",
    "subnets": [
        {
            "id": "subnet-0aaaaaaaaaaaaaaaa",
            "availability_zone": "eu-west-1a",
            "route_table_id": "rtb-0aaaaaaaaaaaaaaaa",
        },
        {
            "id": "subnet-0bbbbbbbbbbbbbbbb",
            "availability_zone": "eu-west-1b",
            "route_table_id": "rtb-0bbbbbbbbbbbbbbbb",
        },
    ],
}
