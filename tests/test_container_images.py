"""The custom inference images: Dockerfiles linted by hadolint, locks agreeing with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTAINERS = ROOT / "containers"
DOCKERFILES = sorted(CONTAINERS.glob("Dockerfile.*"))
HADOLINT = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HADOLINT, "--failure-threshold", "style", "--no-color", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def pins(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", path.read_text(), re.M))


def test_there_is_one_image_per_device():
    assert [p.name for p in DOCKERFILES] == ["Dockerfile.cpu", "Dockerfile.gpu"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_passes_hadolint(dockerfile: Path):
    result = hadolint(dockerfile)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_does_flag_a_bad_dockerfile(tmp_path: Path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\nCMD serve\n")
    result = hadolint(bad)
    assert result.returncode != 0
    assert {"DL3007", "DL3013", "DL3025"} <= set(re.findall(r"DL\d{4}", result.stdout))


@pytest.mark.parametrize("device", ["cpu", "gpu"])
def test_locks_are_hashed_and_honour_the_inputs(device: str):
    lock = CONTAINERS / f"requirements-{device}.txt"
    wanted = pins(CONTAINERS / f"requirements-{device}.in")
    locked = pins(lock)
    assert {name: locked.get(name) for name in wanted} == wanted
    packages = re.findall(r"^[A-Za-z0-9_.\-]+==", lock.read_text(), re.M)
    assert lock.read_text().count("--hash=sha256:") >= len(packages)
    assert (
        "--require-hashes -r /tmp/requirements.txt"
        in (CONTAINERS / f"Dockerfile.{device}").read_text()
    )


def test_tests_run_the_versions_the_images_ship():
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    dev_pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", "\n".join(dev), re.M))
    cpu = pins(CONTAINERS / "requirements-cpu.in")
    gpu = pins(CONTAINERS / "requirements-gpu.in")
    served = ("starlette", "uvicorn", "uvloop", "httptools", "orjson", "fastnumbers")
    for name in (*served, "xgboost-cpu", "onnxruntime"):
        assert dev_pins[name] == cpu[name], name
    assert gpu["xgboost"] == cpu["xgboost-cpu"]
    assert gpu["onnxruntime-gpu"] == cpu["onnxruntime"]
    assert all(gpu[name] == cpu[name] for name in served)
