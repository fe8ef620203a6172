"""The idle cost floor (pure Python): schedules averaged over a year, the price table's
sourced figures and its unknowns, and which scale-to-zero mode each algorithm can use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from infra.catalog.prices import HOURS_PER_MONTH, PRICES, hourly_price
from infra.config import parse_config
from infra.plan import build_plan
from infra.plan.cost import (
    IdleCapacity,
    IdleFloor,
    endpoint_capacity,
    floor,
    hosted_capacity,
    price_regions,
    scale_to_zero,
)
from infra.plan.cron import parse_cron
from infra.plan.endpoint import EndpointPlan
from infra.plan.schedule import ScheduledCapacity, average_minimum
from tests.recorded_models import approved_everywhere


def _action(cron: str, minimum: int) -> ScheduledCapacity:
    return ScheduledCapacity("a", cron, "UTC", minimum, minimum)


def test_a_daily_schedule_halves_the_day_between_its_two_minimums():
    # 20:00 down to 1, 08:00 up to 3, every day: 12 h at each, an average of exactly 2.
    schedule = (_action("cron(0 20 * * ? *)", 1), _action("cron(0 8 * * ? *)", 3))
    assert average_minimum(3, schedule) == pytest.approx(2.0)


def test_working_hours_on_weekdays_only():
    # 07:00-20:00 Monday to Friday at 3, nights and weekends at 1: 65 of 168 hours.
    schedule = (_action("cron(0 20 ? * MON-FRI *)", 1), _action("cron(0 7 ? * MON-FRI *)", 3))
    assert average_minimum(3, schedule) == pytest.approx((65 * 3 + 103) / 168, abs=0.01)


def test_without_a_schedule_the_minimum_holds_all_year():
    assert average_minimum(2, ()) == 2.0


def test_cron_wildcards_fire_when_eventbridge_says():
    assert [d.day for d in parse_cron("cron(0 6 L 2 ? *)").fires_in(2026)] == [28]
    assert [d.day for d in parse_cron("cron(0 6 ? 3 6#2 *)").fires_in(2026)] == [13]
    assert [d.day for d in parse_cron("cron(0 6 ? 5 2L *)").fires_in(2026)] == [25]
    # 1 August 2026 is a Saturday: the nearest weekday in the month is Monday the 3rd.
    assert [d.day for d in parse_cron("cron(0 6 1W 8 ? *)").fires_in(2026)] == [3]
    assert len(list(parse_cron("cron(0/15 * * * ? *)").fires_in(2026))) == 365 * 24 * 4


def test_a_sourced_price_gives_a_floor_and_no_price_gives_unknown_never_a_guess():
    assert hourly_price("us-east-1", "ml.m5.xlarge").usd_per_hour == 0.23
    assert "USE1-Host:ml.m5.xlarge" in hourly_price("us-east-1", "ml.m5.xlarge").source
    assert floor([IdleCapacity("ml.m5.xlarge", 1)], "us-east-1").render() == "$167.90/month"
    mixed = floor([IdleCapacity("ml.m5.xlarge", 2), IdleCapacity("ml.c5.xlarge", 1)], "us-east-1")
    assert mixed == IdleFloor(2 * 0.23 * HOURS_PER_MONTH, ("ml.c5.xlarge",))
    assert mixed.render() == "$335.80/month + unknown (no sourced price for ml.c5.xlarge)"
    assert floor([IdleCapacity("ml.m5.xlarge", 1)], "eu-west-1").render() == (
        "unknown (no sourced price for ml.m5.xlarge)"
    )
    assert floor([IdleCapacity("ml.m5.xlarge", 1)], "ap-south-2").unknown == ("ml.m5.xlarge",)
    assert floor([], "us-east-1").render() == "$0.00/month"
    # Every figure in the table names its source.
    assert all(p.source for region in PRICES.values() for p in region.values())


def test_an_agnostic_stage_is_priced_in_every_region_the_table_covers():
    assert price_regions(None) == ("us-east-1", "eu-west-1")
    assert price_regions("eu-west-1") == ("eu-west-1",)


def _stage(directory: Path, algorithms: dict):
    """The hosted plans of one stage, every registry with an approved model."""
    path = directory / "cost.yaml"
    path.write_text(yaml.safe_dump({"stages": {"dev": {"algorithms": algorithms}}}))
    config = parse_config(path.read_text(), str(path))
    (stage,) = build_plan(config, str(path), approved_everywhere(str(path))).stages
    return {h.name: h for h in stage.hosted}


def test_variants_and_shadows_count_at_their_instance_counts(tmp_path: Path):
    other = {"model_uri": "s3://models/kmeans/model.tar.gz"}
    hosted = _stage(
        tmp_path,
        {
            "kmeans": {
                "endpoint": {
                    "min_instances": 2,
                    "max_instances": 4,
                    "variants": [{"name": "b", "instance_count": 3, **other}],
                    "shadow": {"name": "s", "instance_type": "ml.c5.xlarge", **other},
                }
            }
        },
    )
    endpoint = hosted["kmeans"].endpoint
    assert isinstance(endpoint, EndpointPlan)
    assert endpoint_capacity(endpoint) == (
        IdleCapacity("ml.m5.xlarge", 2),
        IdleCapacity("ml.m5.xlarge", 3),
        IdleCapacity("ml.c5.xlarge", 1),
    )


def test_serverless_is_free_idle_unless_it_keeps_provisioned_concurrency(tmp_path: Path):
    hosted = _stage(
        tmp_path,
        {
            "kmeans": {"endpoint": {"enabled": False}},
            "pca": {"endpoint": {"enabled": False}, "serverless": {"provisioned_concurrency": 2}},
        },
    )
    assert hosted_capacity(hosted["kmeans"], once_serving=True) == ()
    (provisioned,) = hosted_capacity(hosted["pca"], once_serving=True)
    assert floor([provisioned], "us-east-1").render() == (
        "unknown (no sourced price for serverless provisioned concurrency)"
    )


def test_each_algorithm_says_which_scale_to_zero_mode_it_can_use(tmp_path: Path):
    hosted = _stage(
        tmp_path,
        {"kmeans": {}, "seq2seq": {}, "pca": {"serverless": {"enabled": False}}},
    )
    assert scale_to_zero(hosted["kmeans"]) == "serverless (on), async"
    assert scale_to_zero(hosted["pca"]) == "serverless, async"
    # GPU-only inference has no serverless, but asynchronous endpoints run on GPUs.
    assert scale_to_zero(hosted["seq2seq"]) == "async"


def test_an_asynchronous_endpoint_costs_its_scaling_minimum_idle(tmp_path: Path):
    hosted = _stage(
        tmp_path,
        {
            "kmeans": {"async": {"enabled": True}, "serverless": {"enabled": False}},
            "pca": {"async": {"enabled": True, "min_instances": 1, "max_instances": 2}},
        },
    )
    at_zero = [c for c in hosted_capacity(hosted["kmeans"], once_serving=True) if c.count]
    assert at_zero == [IdleCapacity("ml.m5.xlarge", 1)]  # the real-time endpoint only
    assert IdleCapacity("ml.m5.xlarge", 0) in hosted_capacity(hosted["kmeans"], once_serving=True)
    assert scale_to_zero(hosted["kmeans"]) == "serverless, async (on)"
    assert IdleCapacity("ml.m5.xlarge", 1) in hosted_capacity(hosted["pca"], once_serving=True)
    assert scale_to_zero(hosted["pca"]) == "serverless (on), async"


def test_the_price_script_reads_hosting_prices_from_an_offer_file(
    tmp_path: Path, capsys: pytest.CaptureFixture
):
    """The refresh path for infra/catalog/prices.py, on a two-product offer file of the
    bulk format (a synthetic price, not a real one)."""
    import json

    from scripts.sagemaker_prices import main

    def product(component: str) -> dict:
        return {
            "productFamily": "ML Instance",
            "attributes": {
                "component": component,
                "instanceName": "ml.m5.xlarge",
                "regionCode": "eu-west-1",
                "usagetype": f"EU-{component}:ml.m5.xlarge",
            },
        }

    def term(usd: str) -> dict:
        dimension = {"unit": "Hrs", "pricePerUnit": {"USD": usd}}
        return {"T": {"priceDimensions": {"D": dimension}}}

    offer = {
        "publicationDate": "2099-01-01T00:00:00Z",
        "products": {"HOST": product("Hosting"), "NB": product("Notebook")},
        "terms": {"OnDemand": {"HOST": term("1.5"), "NB": term("9.9")}},
    }
    path = tmp_path / "index.json"
    path.write_text(json.dumps(offer))
    assert main([str(path), "eu-west-1", "ml.m5.xlarge"]) == 0
    assert capsys.readouterr().out == (
        '"ml.m5.xlarge": Price(1.5, "AWS Price List API bulk offer file '
        "AmazonSageMaker/current/eu-west-1, published 2099-01-01T00:00:00Z, usage type "
        'EU-Hosting:ml.m5.xlarge, SKU HOST"),\n'
    )
    assert main([str(path), "eu-west-1", "ml.c5.xlarge"]) == 1
    assert "ml.c5.xlarge: not priced in this file" in capsys.readouterr().err
