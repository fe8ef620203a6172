"""The default app synthesizes offline, deterministically, and clean under the validators."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Assembly, cfn_lint

pytestmark = pytest.mark.synth


def test_default_app_has_a_foundation_and_a_stack_per_algorithm(
    default_assembly: Assembly,
) -> None:
    from infra.catalog import ALGORITHM_NAMES
    from stacks.algorithm import stack_id

    expected = [
        "dev/Foundation",
        *(f"dev/{stack_id(name)}" for name in ALGORITHM_NAMES),
        "dev/Streaming",
    ]
    assert list(default_assembly.templates()) == expected


def test_nag_packs_report_nothing_unacknowledged(default_assembly: Assembly) -> None:
    assert default_assembly.violations == []


def test_cfn_lint_finds_no_errors(default_assembly: Assembly) -> None:
    assert cfn_lint(default_assembly.directory) == ""


def _cli_synth(outdir: Path, hash_seed: str) -> None:
    env = {
        **os.environ,
        "PYTHONHASHSEED": hash_seed,
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }
    subprocess.run(
        ["npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "-o", str(outdir)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def test_two_cli_synths_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    # Different hash seeds shake out any dependence on set or dict ordering.
    _cli_synth(first, "1")
    _cli_synth(second, "2")

    # The whole assembly, not only templates: manifests, metadata (no JavaScript stack
    # traces with the jsii runtime's temporary paths: cdk.json turns them off), the
    # construct tree, the validation report, staged assets.
    def outputs(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    one, two = outputs(first), outputs(second)
    assert any(name.endswith(".template.json") for name in one), "the synth wrote no templates"
    assert one == two


def test_bad_config_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "stages:\n  dev:\n    algorithms:\n      lda:\n        training: {instance_count: 2}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "infra", "check", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}: stages.dev.algorithms.lda.training.instance_count: 2 — lda trains on a single "
        "instance (allowed: 1)"
    ]


def test_app_refuses_a_bad_config_before_building_anything(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stages: {dev: {algorithms: {pca: {tuning: {enabled: true}}}}}\n")
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={
            **os.environ,
            "CDK_CONTEXT_JSON": f'{{"config": "{bad}"}}',
            "CDK_OUTDIR": str(tmp_path / "out"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(
        "pca cannot be tuned: PCA emits no documented objective metric"
    )
    assert not list((tmp_path / "out").rglob("*.json"))  # nothing synthesized
