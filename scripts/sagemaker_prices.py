"""Print `infra/catalog/prices.py` entries from AWS's SageMaker price list.

Download the region's bulk offer file (Price List API; no credentials needed), then:

    curl -sO https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/eu-west-1/index.json
    .venv/bin/python scripts/sagemaker_prices.py index.json eu-west-1 ml.m5.xlarge ml.c5.xlarge

Only real-time inference instances count: products of family "ML Instance" whose
`component` is "Hosting", priced per hour on demand. Each printed entry names the file's
publication date, the usage type and the SKU it came from; paste them into the region's
table. An instance type the file does not price is reported, never invented.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def hosting_prices(offer: dict, region: str) -> dict[str, tuple[float, str]]:
    """Instance type -> (USD per hour, where it came from)."""
    published = offer.get("publicationDate", "unknown date")
    on_demand = offer.get("terms", {}).get("OnDemand", {})
    found: dict[str, tuple[float, str]] = {}
    for sku, product in offer.get("products", {}).items():
        attributes = product.get("attributes", {})
        if (
            product.get("productFamily") != "ML Instance"
            or attributes.get("component") != "Hosting"
            or attributes.get("regionCode", region) != region
        ):
            continue
        for term in on_demand.get(sku, {}).values():
            for dimension in term.get("priceDimensions", {}).values():
                if dimension.get("unit") != "Hrs":
                    continue
                usd = float(dimension["pricePerUnit"]["USD"])
                source = (
                    f"AWS Price List API bulk offer file AmazonSageMaker/current/{region}, "
                    f"published {published}, usage type {attributes.get('usagetype')}, SKU {sku}"
                )
                found[attributes["instanceName"]] = (usd, source)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("offer_file", type=Path)
    parser.add_argument("region")
    parser.add_argument("instance_types", nargs="*", help="default: every one in the file")
    args = parser.parse_args(argv)
    prices = hosting_prices(json.loads(args.offer_file.read_text()), args.region)
    missing = 0
    for instance_type in args.instance_types or sorted(prices):
        if instance_type not in prices:
            print(f"# {instance_type}: not priced in this file", file=sys.stderr)
            missing += 1
            continue
        usd, source = prices[instance_type]
        print(f'"{instance_type}": Price({usd:g}, "{source}"),')
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
