"""Shared fixtures: the default app and the three-stage example, synthesized once per session."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# jsii starts `node` from PATH: make it the Node 24 linked into the virtualenv
# even when pytest was started without activating it.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
os.chdir(ROOT)

# Hermetic: a developer's own cdk.context.json (recorded approved models) never changes
# what the tests plan; tests that want records pass them.
import infra.cli  # noqa: E402

infra.cli.CONTEXT_FILE = ROOT / "tests" / "no-such-cdk.context.json"


def cdk_context(**extra: object) -> dict[str, object]:
    """The feature flags from cdk.json, as the CLI would pass them."""
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    return {**context, **extra}


@dataclass(frozen=True)
class Assembly:
    directory: Path
    violations: list[str]

    def templates(self) -> dict[str, dict]:
        """Stack templates by display name (e.g. `dev/Foundation`)."""
        from infra.assembly import stack_artifacts

        return {stack.name: stack.template() for stack in stack_artifacts(self.directory)}


def cfn_lint(directory: Path) -> str:
    """cfn-lint's findings over every template in a cloud assembly (empty when clean)."""
    import subprocess

    templates = sorted(
        str(p)
        for pattern in ("*.template.json", "assembly-*/*.template.json")
        for p in directory.glob(pattern)
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            "--config-file",
            str(ROOT / ".cfnlintrc.yaml"),
            *templates,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def synth_config(config: str, outdir: Path, records: dict[str, object] | None = None) -> Assembly:
    """Synthesize as `cdk synth` would, with `records` as cdk.context.json."""
    from infra.cli import load_plan
    from stacks.stage import new_app, synthesize

    context = cdk_context(config=config, **(records or {}))
    app = new_app(outdir=str(outdir), context=context)
    violations = synthesize(app, load_plan(config, records=app.node.get_all_context()))
    return Assembly(outdir, violations)


def synth_dict(config: dict, directory: Path, *, approved: bool = True) -> Assembly:
    """Write `config` as YAML in `directory` and synthesize it into `directory/cdk.out`,
    by default as it is once every registry it follows has an approved model."""
    import yaml

    from tests.recorded_models import approved_everywhere

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    records = approved_everywhere(str(path)) if approved else {}
    return synth_config(str(path), directory / "cdk.out", records=records)


def in_operation(config: str, directory: Path) -> str:
    """A copy of `config` as it is in operation: every monitored baseline computed
    (`monitoring.baseline_ready`). Returns the copy's path."""
    import yaml

    data = yaml.safe_load(Path(config).read_text())
    for stage in data["stages"].values():
        for name, algorithm in stage["algorithms"].items():
            algorithm = algorithm or {}
            algorithm.setdefault("monitoring", {})["baseline_ready"] = True
            stage["algorithms"][name] = algorithm
    path = directory / Path(config).name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


DEFAULT = "config/default.yaml"
THREE_STAGES = "config/examples/three-stages.yaml"


@pytest.fixture(scope="session")
def default_assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """The default config in operation: every algorithm has an approved model, and every
    monitored one its baseline."""
    from tests.recorded_models import approved_everywhere

    config = in_operation(DEFAULT, tmp_path_factory.mktemp("config"))
    return synth_config(
        config, tmp_path_factory.mktemp("cdk.out"), records=approved_everywhere(config)
    )


@pytest.fixture(scope="session")
def empty_account_assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """The default config as first deployed: nothing trained or approved yet."""
    return synth_config(DEFAULT, tmp_path_factory.mktemp("empty-account"), records={})


@pytest.fixture(scope="session")
def three_stage_assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """The three-stage example once dev's models are approved."""
    from tests.recorded_models import approved_everywhere

    return synth_config(
        THREE_STAGES,
        tmp_path_factory.mktemp("three-stages"),
        records=approved_everywhere(THREE_STAGES),
    )


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Catalog entries are named by their name: their reprs hold frozensets, whose order
    changes from process to process, and `pytest -n` needs the same ids in every worker."""
    from infra.catalog.model import Algorithm

    return val.name if isinstance(val, Algorithm) else None
