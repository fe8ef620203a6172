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


def cdk_context(**extra: str) -> dict[str, object]:
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


def synth_config(config: str, outdir: Path) -> Assembly:
    from infra.cli import load_plan
    from stacks.stage import new_app, synthesize

    app = new_app(outdir=str(outdir), context=cdk_context(config=config))
    violations = synthesize(app, load_plan(config))
    return Assembly(outdir, violations)


def synth_dict(config: dict, directory: Path) -> Assembly:
    """Write `config` as YAML in `directory` and synthesize it into `directory/cdk.out`."""
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return synth_config(str(path), directory / "cdk.out")


@pytest.fixture(scope="session")
def default_assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return synth_config("config/default.yaml", tmp_path_factory.mktemp("cdk.out"))


THREE_STAGES = "config/examples/three-stages.yaml"


@pytest.fixture(scope="session")
def three_stage_assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return synth_config(THREE_STAGES, tmp_path_factory.mktemp("three-stages"))
