"""The drift job's image: Dockerfile linted, lock hashed and agreeing with the dev
pins, and its build context kept out of the model-server image assets."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from tests.test_container_images import hadolint, pins

ROOT = Path(__file__).resolve().parent.parent
CONTAINERS = ROOT / "containers"
DRIFT = CONTAINERS / "drift"


def test_dockerfile_passes_hadolint():
    result = hadolint(DRIFT / "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def test_base_image_is_pinned_by_digest():
    froms = re.findall(r"^FROM (\S+)", (DRIFT / "Dockerfile").read_text(), re.M)
    assert froms
    assert all(re.fullmatch(r"[\w.:/-]+@sha256:[0-9a-f]{64}", f) for f in froms), froms


def test_lock_is_hashed_and_honours_the_input():
    lock = DRIFT / "requirements.txt"
    wanted = pins(DRIFT / "requirements.in")
    locked = pins(lock)
    assert {name: locked.get(name) for name in wanted} == wanted
    packages = re.findall(r"^[A-Za-z0-9_.\-]+==", lock.read_text(), re.M)
    assert lock.read_text().count("--hash=sha256:") >= len(packages)
    assert "--require-hashes -r /tmp/requirements.txt" in (DRIFT / "Dockerfile").read_text()


def test_tests_run_the_versions_the_image_ships():
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    dev_pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", "\n".join(dev), re.M))
    image = pins(DRIFT / "requirements.in")
    for name in ("scikit-learn", "orjson"):
        assert dev_pins[name] == image[name], name
    # scipy: the dev group pins one version per Python (3.12 is the image's)
    assert any(re.search(rf"scipy=={image['scipy']};.*>= '3.12'", d) for d in dev)


def test_model_server_assets_do_not_see_the_drift_job(tmp_path: Path):
    """CDK fingerprints a DockerImageAsset over its directory less the .dockerignore
    patterns, always keeping .dockerignore and the Dockerfile (aws-ecr-assets
    image-asset.js: `[...lines, "!.dockerignore"]`, `"!" + basename(file)`). The
    model-server context's .dockerignore is an allow-list (`*` then `!serve`, ...), so
    containers/drift/ is already outside it, and .dockerignore itself is left unchanged
    (editing it would change the fingerprint). Same fingerprint with and without drift/."""
    import aws_cdk as cdk

    without = tmp_path / "containers"
    shutil.copytree(CONTAINERS, without, ignore=shutil.ignore_patterns("drift", "__pycache__"))
    lines = [x for x in (CONTAINERS / ".dockerignore").read_text().split("\n") if x]
    for dockerfile in ("Dockerfile.cpu", "Dockerfile.gpu"):
        exclude = [*lines, "!.dockerignore", f"!{dockerfile}", "cdk.out"]

        def fingerprint(directory: Path, exclude=exclude) -> str:
            return cdk.FileSystem.fingerprint(
                str(directory), exclude=exclude, ignore_mode=cdk.IgnoreMode.DOCKER
            )

        assert fingerprint(CONTAINERS) == fingerprint(without)


def test_drift_asset_hash_covers_only_the_job(tmp_path: Path):
    """containers/drift/.dockerignore is an allow-list too: the README and bytecode do
    not change the drift image asset's fingerprint, the job's code does."""
    import aws_cdk as cdk

    copy = tmp_path / "drift"
    shutil.copytree(DRIFT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    lines = [x for x in (DRIFT / ".dockerignore").read_text().split("\n") if x]
    exclude = [*lines, "!.dockerignore", "!Dockerfile", "cdk.out"]

    def fingerprint() -> str:
        return cdk.FileSystem.fingerprint(
            str(copy), exclude=exclude, ignore_mode=cdk.IgnoreMode.DOCKER
        )

    before = fingerprint()
    (copy / "README.md").write_text("edited\n")
    (copy / "drift_checks" / "__pycache__").mkdir()
    (copy / "drift_checks" / "__pycache__" / "cli.cpython-312.pyc").write_bytes(b"x")
    assert fingerprint() == before
    (copy / "drift_checks" / "cli.py").write_text("# changed\n")
    assert fingerprint() != before
