"""On-demand prices of SageMaker real-time inference instances (USD per instance-hour),
per region: the price list behind the summary's idle cost floor.

Every figure names where it came from. The authority is AWS's public price list: the
Price List API's bulk offer file for SageMaker,
`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json`
(products with `productFamily` "ML Instance" and `component` "Hosting"; usage type
`<region code>-Host:<instance type>`, e.g. `USE1-Host:ml.m5.xlarge`), which the
SageMaker pricing page (https://aws.amazon.com/sagemaker/pricing/, "Real-Time
Inference") renders. This project was built without network access to AWS, so each
figure below is a published quote of that price list, recorded with its date; an
instance type or region without one is *unknown* and the summary says so (never an
estimate). `python scripts/sagemaker_prices.py <offer file> <region>` prints the
entries for a region from a downloaded offer file, to refresh or extend this table.

Regions: us-east-1 and eu-west-1 (the examples' stage regions, and the default
config's likely ones). No eu-west-1 quote was found, so its figures are unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12, the convention AWS's calculator uses


@dataclass(frozen=True, slots=True)
class Price:
    usd_per_hour: float
    source: str


_PRICE_LIST_QUOTE = (
    "AWS Price List API, AmazonSageMaker, usage type {usage}, read 2026-09-28, as quoted "
    "in a public cost sheet found through the code search index (file id 70265565863); "
    "{extra}"
)

PRICES: dict[str, dict[str, Price]] = {
    "us-east-1": {
        "ml.m5.xlarge": Price(
            0.23,
            _PRICE_LIST_QUOTE.format(
                usage="USE1-Host:ml.m5.xlarge",
                extra="the same $0.23/hr (SKU JDZQJFUVUR8SUWHS) read from the Price List "
                "API on 2026-06-27 is quoted in another public file (id 56200718818)",
            ),
        ),
        "ml.m5.2xlarge": Price(
            0.461,
            _PRICE_LIST_QUOTE.format(usage="USE1-Host:ml.m5.2xlarge", extra="one quote"),
        ),
    },
    "eu-west-1": {},
}
PRICED_REGIONS = tuple(PRICES)


def hourly_price(region: str, instance_type: str) -> Price | None:
    """The on-demand real-time inference price, or None when no sourced figure exists."""
    return PRICES.get(region, {}).get(instance_type)
