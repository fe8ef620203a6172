"""Who the model server runs as.

The images run `serve` as root: SageMaker's hosting documentation asks for it, and
AWS's own serving images do it (the reason, with its sources, is a comment in both
Dockerfiles and in containers/README.md). Serverless endpoints still run the container
as an unprivileged user of SageMaker's choosing, so the server, started here as such a
user over a root-owned, read-only /opt/ml/model, must answer and write nothing outside
its temporary directory.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.model_artifacts import extract, xgboost_archive
from tests.server_process import CONTAINERS, ROOT, serve, wait_until

DOCKERFILES = sorted(CONTAINERS.glob("Dockerfile.*"))
HOSTING_DOC = "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html"
HOSTING_QUOTE = "SageMaker AI expects all containers to run with root users."
AWS_IMAGES = (
    "aws/sagemaker-xgboost-container docker/3.0-5/final/Dockerfile.cpu",
    "aws/deep-learning-containers pytorch/inference/docker/2.6/py3/cu124/Dockerfile.gpu",
)
# An unprivileged user the image does not know, as on a serverless endpoint.
SANDBOX_UID = 10001
# Where a process without privileges can create files on a stock Linux: the world-writable
# directories. The server's own TMPDIR is the only place it may use.
WORLD_WRITABLE = [Path(p) for p in ("/tmp", "/var/tmp", "/dev/shm") if Path(p).is_dir()]


def final_stage(dockerfile: Path) -> str:
    return dockerfile.read_text().rsplit("\nFROM ", 1)[1]


def prose(path: Path) -> str:
    """The text with comment markers and line breaks folded, so a quote may span lines."""
    lines = (re.sub(r"^\s*#\s?", "", line) for line in path.read_text().splitlines())
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_image_runs_serve_as_root(dockerfile: Path):
    stage = final_stage(dockerfile)
    users = re.findall(r"^USER\s+(\S+)", stage, re.M)
    assert all(user.split(":")[0] in ("root", "0") for user in users), users
    # Both final stages start from root-user bases (python slim, nvidia/cuda).
    assert re.match(r"(python|nvidia/cuda):\S+\n", stage), stage.splitlines()[0]
    assert stage.rstrip().endswith('CMD ["serve"]')


@pytest.mark.parametrize(
    "path", [*DOCKERFILES, CONTAINERS / "README.md"], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_the_reason_for_root_cites_its_sources(path: Path):
    text = prose(path)
    assert HOSTING_DOC in text
    assert HOSTING_QUOTE in text
    for image in AWS_IMAGES:
        assert image in text


def files_of(uid: int, roots: list[Path]) -> set[Path]:
    found = subprocess.run(
        ["find", *map(str, roots), "-xdev", "-uid", str(uid)],
        capture_output=True,
        text=True,
        check=False,  # unreadable corners of /tmp are no concern: uid could not write there
    ).stdout
    return {Path(line) for line in found.splitlines()}


def run_as(uid: int) -> list[str]:
    return [
        shutil.which("setpriv") or "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
    ]


def process_uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="starting the server as another user needs root and setpriv",
)


def as_sandbox_user(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*run_as(SANDBOX_UID), sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(CONTAINERS)},
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def sandbox_python() -> dict[str, bool]:
    """Whether this interpreter runs as another user at all, and with a stdlib like ours."""
    probe = as_sandbox_user(
        "import tarfile, model_server.serve; print(hasattr(tarfile, 'data_filter'))"
    )
    if probe.returncode != 0:
        pytest.skip(
            f"this interpreter does not run as uid {SANDBOX_UID} here: {probe.stderr[-300:]}"
        )
    return {"data_filter": probe.stdout.strip() == "True"}


@pytest.fixture
def opt_ml() -> Iterator[Path]:
    """A root-owned /opt/ml in a directory other users can traverse (pytest's is 0700)."""
    top = Path(tempfile.mkdtemp(prefix="opt-ml-", dir="/tmp"))
    top.chmod(0o755)
    try:
        yield top
    finally:
        for path in [top, *top.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(top)


def lay_out(top: Path, *, packed: bool, file_mode: int = 0o644) -> tuple[Path, Path]:
    """/opt/ml/model as SageMaker leaves it (root-owned, read-only) and a TMPDIR for the user."""
    artifact = xgboost_archive(top / "artifact")
    model = top / "opt" / "ml" / "model"
    if packed:  # model.tar.gz left unextracted: the server unpacks it into TMPDIR
        model.mkdir(parents=True)
        shutil.copy(artifact, model / "model.tar.gz")
    else:
        extract(artifact, model)
    shutil.rmtree(top / "artifact")
    for path in model.rglob("*"):
        if path.is_file():
            path.chmod(file_mode)
    for directory in sorted([top / "opt", *(top / "opt").rglob("*")], reverse=True):
        if directory.is_dir():
            directory.chmod(0o555)  # nobody writes here, whatever its privileges
    scratch = top / "tmp"
    scratch.mkdir(mode=0o700)
    os.chown(scratch, SANDBOX_UID, SANDBOX_UID)
    return model, scratch


@needs_root
@pytest.mark.parametrize("packed", [False, True], ids=["extracted", "model.tar.gz"])
def test_an_unprivileged_server_reads_the_model_and_writes_only_its_tmpdir(
    opt_ml: Path, packed: bool, sandbox_python: dict[str, bool]
):
    if packed and not sandbox_python["data_filter"]:
        # e.g. pyenv's Python under a 0700 /root: another user gets the system's older stdlib
        pytest.skip("the interpreter other users get here has no tarfile.data_filter")
    model, scratch = lay_out(opt_ml, packed=packed)
    roots = [*WORLD_WRITABLE, CONTAINERS, opt_ml]
    before = files_of(SANDBOX_UID, roots)
    env = {"MODEL_DIR": str(model), "TMPDIR": str(scratch), "HOME": "/nonexistent"}
    command = [*run_as(SANDBOX_UID), sys.executable, str(CONTAINERS / "serve")]
    log = opt_ml / "server.log"
    with serve(command, env, log) as server:
        assert process_uid(server.process.pid) == SANDBOX_UID
        assert httpx.get(f"{server.url}/ping", timeout=5).status_code == 200
        answer = httpx.post(
            f"{server.url}/invocations",
            content=b"0.1,0.2,0.3,0.4\n0.9,0.8,0.7,0.6",
            headers={"Content-Type": "text/csv", "Accept": "application/json"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        assert len(answer.json()["predictions"]) == 2
    written = files_of(SANDBOX_UID, roots) - before
    outside = {path for path in written if not path.is_relative_to(scratch)}
    assert not outside, f"written outside TMPDIR: {sorted(outside)}\n{server.output()}"
    # The scan sees what the server does write: its unpacked model, and only that.
    unpacked = {p.name for p in written if p.is_file()}
    assert unpacked == ({"xgboost-model"} if packed else set()), unpacked


@needs_root
def test_an_unprivileged_server_cannot_read_a_model_packed_0600(
    opt_ml: Path, sandbox_python: dict[str, bool]
):
    """Why the images run as root: SageMaker does not promise modes other users can read."""
    model, scratch = lay_out(opt_ml, packed=False, file_mode=0o600)
    env = {"MODEL_DIR": str(model), "TMPDIR": str(scratch), "HOME": "/nonexistent"}
    command = [*run_as(SANDBOX_UID), sys.executable, str(CONTAINERS / "serve")]
    log = opt_ml / "server.log"
    with (
        serve(command, env, log, ready_status=None) as server,
        pytest.raises((TimeoutError, RuntimeError)),  # exits, or stays unhealthy
    ):
        wait_until(server.url, 200, 3, server.process)
    assert "Permission denied" in server.output()
    assert stat.S_IMODE((model / "xgboost-model").stat().st_mode) == 0o600


@needs_root
def test_the_scan_sees_a_file_the_user_writes_outside_tmpdir(opt_ml: Path):
    """The check above can fail: a write by that user outside TMPDIR shows up."""
    roots = [*WORLD_WRITABLE, opt_ml]
    before = files_of(SANDBOX_UID, roots)
    stray = Path(tempfile.gettempdir()) / f"stray-{os.getpid()}"
    subprocess.run([*run_as(SANDBOX_UID), "touch", str(stray)], check=True)
    try:
        assert files_of(SANDBOX_UID, roots) - before == {stray}
    finally:
        stray.unlink()
