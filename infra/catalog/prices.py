"""On-demand prices of SageMaker real-time inference instances (USD per instance-hour),
per region: the price list behind the summary's idle cost floor.

The authority is AWS's public price list: the Price List API's bulk offer file for
SageMaker,
`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json`
(products of family "ML Instance" whose `component` is "Hosting"; usage type
`<region code>-Host:<instance type>`: `USE1-` for us-east-1, `EU-` for eu-west-1), which
the SageMaker pricing page (https://aws.amazon.com/sagemaker/pricing/, "Real-Time
Inference") renders. This project was built without network access to AWS, so every
figure below is a published quote of that price list or an AWS bill line, found in a
public repository and cited by repository, path and commit, with the date the figure
was read (or the billing month it was charged in) as `as_of`. Hosting only: training,
notebook and processing rates are not used even where they are equal, and no figure is
carried from one region to another.

An instance type or region without such a quote is *unknown* and the summary says so
(never an estimate). Known gaps, for lack of a citable quote: us-east-1 ml.c5.xlarge,
ml.c5.2xlarge, ml.g4dn.xlarge, ml.g5.xlarge, ml.p3.2xlarge and ml.m5.4xlarge; eu-west-1
ml.m5.large, ml.m5.2xlarge, ml.m5.4xlarge, ml.c5.*, ml.g5.xlarge and ml.p3.2xlarge. To refresh or
extend the table, download a region's offer file and run
`python scripts/sagemaker_prices.py <offer file> <region> [instance types]`: it prints
entries in this module's format, dated by the file's publication date.

Regions: us-east-1 and eu-west-1 (the examples' stage regions, and the default
config's likely ones).
"""

from __future__ import annotations

from dataclasses import dataclass

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12, the convention AWS's calculator uses


@dataclass(frozen=True, slots=True)
class Price:
    usd_per_hour: float
    source: str
    # When the figure was read from the price list (YYYY-MM-DD) or charged (YYYY-MM, a
    # billing month); prices change, so an old date is a reason to refresh.
    as_of: str


# us-east-1: quotes of the AWS Price List API, each naming its usage type.
_AURALANE = (
    "Derpinator96/AURALane, docs/AWS-COSTS.md at commit "
    "7a4c002ce3b141623353b7ec13fecdc82e601305: 'AWS Price List API, AmazonSageMaker, "
    "usage type {usage}, read 2026-09-28'"
)
_COST_SCANNER = (
    "amartinawi/cost-optimization-scanner, tests/test_sagemaker_high_fixes.py at commit "
    "1febe9028d4d5ff0f5a71cb3fdfeaf0318bf5f53: 'Validated rate (AWS Pricing API, live "
    "2026-06-27): SageMaker real-time inference Hosting ml.m5.xlarge us-east-1 = $0.23/hr "
    "(usagetype USE1-Host:ml.m5.xlarge, SKU JDZQJFUVUR8SUWHS)'"
)
_CS401R = (
    "scott2borg/cs401r-2026-instructor, 'CS_401R_Labs/Lab 6 — Cost Model & Pre-Flight "
    "Blockers.md' at commit 0e16233a61ef56f603e283828038fba5bac24d4f: 'ml.m5.large "
    "endpoint hosting $0.115 / hr, Pricing API USE1-Host:ml.m5.large', all pricing 'pulled "
    "live from the AWS Pricing API on 2026-07-30'"
)
# The same figure with no region named: agrees, but is no source on its own.
_FMBENCH = (
    "agrees with aws-samples/foundation-model-benchmarking-tool, "
    "fmbench/configs/pricing.yml at commit d8814208fb3a9b6f0aa7e986e868ea3759d801ce "
    "('SageMaker Hourly Instance Pricing', {figure}; that file names no region)"
)

# eu-west-1: lines of an AWS bill (the account's December 2023 invoice, section
# "SageMaker - EU (Ireland)"; an en dash in the original) published in AWS's own
# sample repository. Each line's charge checks: hours x rate = amount billed.
_SSH_HELPER_BILL = (
    "aws-samples/sagemaker-ssh-helper, Sample_Costs.md at commit "
    "b6bf9ba39119784eb6ce6683ae9a6a2ed8ef4cd3 (committed 2024-06-05): the December 2023 "
    "AWS bill, section 'SageMaker - EU (Ireland)', line '{line}'"
)

PRICES: dict[str, dict[str, Price]] = {
    "us-east-1": {
        "ml.m5.large": Price(0.115, _CS401R, "2026-07-30"),
        "ml.m5.xlarge": Price(
            0.23,
            _AURALANE.format(usage="USE1-Host:ml.m5.xlarge")
            + "; the same $0.23 read on 2026-06-27 in "
            + _COST_SCANNER
            + "; "
            + _FMBENCH.format(figure="ml.m5.xlarge: 0.23"),
            "2026-09-28",
        ),
        "ml.m5.2xlarge": Price(
            0.461, _AURALANE.format(usage="USE1-Host:ml.m5.2xlarge"), "2026-09-28"
        ),
    },
    "eu-west-1": {
        "ml.m5.xlarge": Price(
            0.257,
            _SSH_HELPER_BILL.format(line="$0.257 per Hosting ml.m5.xlarge hour in EU (Ireland)"),
            "2023-12",
        ),
        "ml.g4dn.xlarge": Price(
            0.821,
            _SSH_HELPER_BILL.format(line="$0.821 for Endpoint ml.g4dn.xlarge")
            + " (worded unlike the bill's 'per Hosting' lines, but an endpoint instance-hour"
            " under the same EU (Ireland) heading)",
            "2023-12",
        ),
        "ml.g4dn.4xlarge": Price(
            1.678,
            _SSH_HELPER_BILL.format(line="$1.678 per Hosting ml.g4dn.4xlarge hour in EU (Ireland)"),
            "2023-12",
        ),
        "ml.g4dn.12xlarge": Price(
            5.453,
            _SSH_HELPER_BILL.format(
                line="$5.453 per Hosting ml.g4dn.12xlarge hour in EU (Ireland)"
            ),
            "2023-12",
        ),
        "ml.g5.12xlarge": Price(
            7.91,
            _SSH_HELPER_BILL.format(
                line="$7.91 per Hosting ml.g5.12xlarge hour in Europe (Ireland)"
            ),
            "2023-12",
        ),
    },
}
PRICED_REGIONS = tuple(PRICES)


def hourly_price(region: str, instance_type: str) -> Price | None:
    """The on-demand real-time inference price, or None when no sourced figure exists."""
    return PRICES.get(region, {}).get(instance_type)
