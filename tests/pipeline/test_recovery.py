"""Nothing lost, clean resume: corrupt upstream files, interrupted and killed runs, stale locks.

Fast unit checks of `pipeline.flow.integrity`, then real Snakemake runs of the tiny DAG (slow): a truncated
``model.pt`` / ``traces.parquet`` is refused before any job with one line naming the file and the
command that rebuilds it, and every downstream result stays as it was; after ``kill -INT`` or
``kill -9`` of Snakemake the README's plain command resumes and finishes.
"""
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.flow.config import compose, stage_keys
from pipeline.flow.integrity import (IntegrityError, check_writable, recover_stale_lock, verify_stage_dir,
                                write_manifest)

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
TINY = ("train.max_steps=4", "train.batch_size=32", "data.n_train=128", "data.n_test=16",
        "network.width_mult=0.125")


# ---- unit: manifests ------------------------------------------------------------------------------------
def test_manifest_detects_truncation_and_edits_but_not_deletion(tmp_path):
    d = tmp_path / "results" / "train" / "abc"
    d.mkdir(parents=True)
    (d / "model.pt").write_bytes(b"x" * 1000)
    (d / "metrics.json").write_text("{}")
    write_manifest(d)
    verify_stage_dir(d)  # as written: fine
    with open(d / "model.pt", "r+b") as f:
        f.truncate(100)
    with pytest.raises(IntegrityError) as err:
        verify_stage_dir(d, ["train.max_steps=4"])
    msg = str(err.value)
    assert "\n" not in msg and f"{d / 'model.pt'}: corrupt (100 bytes, 1000 when written)" in msg
    assert f"rebuild it with: rm -r {d} && snakemake --cores 2 --config 'overrides=[train.max_steps=4]'" in msg
    (d / "model.pt").write_bytes(b"y" * 1000)  # same size, other content
    with pytest.raises(IntegrityError, match="content differs"):
        verify_stage_dir(d)
    (d / "model.pt").unlink()  # deleted: Snakemake reruns the stage, not an error
    verify_stage_dir(d)


def test_directory_without_manifest_is_not_checked(tmp_path):
    (tmp_path / "model.pt").write_bytes(b"")
    verify_stage_dir(tmp_path)


def test_results_dir_that_is_a_file_or_read_only(tmp_path):
    f = tmp_path / "file"
    f.write_text("")
    with pytest.raises(IntegrityError, match="is a file, not a directory"):
        check_writable(f / "results")
    check_writable(tmp_path / "new" / "results")  # created later: fine


# ---- unit: stale locks ----------------------------------------------------------------------------------
def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def _fake_killed_run(workdir: Path, pid: int, pgid: int = -1):
    locks = workdir / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.output.lock").write_text("results/train/x/model.pt\n")
    owners = workdir / ".snakemake" / "neurosim-flow-owners"
    owners.mkdir(parents=True)
    import socket

    (owners / f"{socket.gethostname()}-{pid}.json").write_text(
        json.dumps({"host": socket.gethostname(), "pid": pid, "pgid": pgid}))
    return locks


def test_lock_of_a_killed_run_is_removed(tmp_path):
    locks = _fake_killed_run(tmp_path, _dead_pid())
    notice = recover_stale_lock(tmp_path)
    assert notice and "removed the lock left by a killed Snakemake run" in notice and "\n" not in notice
    assert not locks.exists()


def test_lock_of_a_live_run_is_kept(tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        locks = _fake_killed_run(tmp_path, sleeper.pid)
        assert recover_stale_lock(tmp_path) is None
        assert (locks / "0.output.lock").exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_lock_without_a_known_owner_is_kept(tmp_path):
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("x\n")
    assert recover_stale_lock(tmp_path) is None and (locks / "0.input.lock").exists()


def test_killed_run_whose_jobs_still_run_is_one_line(tmp_path):
    job = subprocess.Popen(["sleep", "30"], start_new_session=True)  # a job left running, own process group
    try:
        _fake_killed_run(tmp_path, _dead_pid(), pgid=job.pid)
        with pytest.raises(IntegrityError) as err:
            recover_stale_lock(tmp_path)
        assert "still has jobs running" in str(err.value) and f"kill -- -{job.pid}" in str(err.value)
    finally:
        job.kill()
        job.wait()


# ---- real runs (slow) -----------------------------------------------------------------------------------
def _cmd(workdir: Path, *args, overrides=TINY):
    """The README's command (plus the tiny config), in ``workdir``."""
    return [str(SNAKEMAKE), "--cores", "2", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
            "--config", f"overrides=[{','.join(overrides)}]", *args]


def _run(workdir: Path, *args, check=True):
    proc = subprocess.run(_cmd(workdir, *args), capture_output=True, text=True, cwd=workdir, timeout=900)
    if check:
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def _digests(results: Path) -> dict:
    return {str(p.relative_to(results)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(results.rglob("*")) if p.is_file() and "logs" not in p.parts}


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "error" in line.lower() or "Traceback" in line]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    work = tmp_path_factory.mktemp("recovery")
    _run(work)
    return work, stage_keys(compose(list(TINY)))


@pytest.mark.slow
@pytest.mark.parametrize("stage, name", [("train", "model.pt"), ("traces", "traces.parquet")])
def test_truncated_upstream_file_is_one_line_and_nothing_is_deleted(finished, stage, name):
    work, keys = finished
    results = work / "results"
    bad = results / stage / keys[stage] / name
    original, mtime = bad.read_bytes(), bad.stat().st_mtime_ns
    try:
        bad.write_bytes(original[: len(original) // 2])
        before = _digests(results)
        proc = _run(work, check=False)
        assert proc.returncode == 2
        assert _error_lines(proc.stderr) == [
            f"neurosim-flow: error: {bad.relative_to(work)}: corrupt ({len(original) // 2} bytes, {len(original)} "
            f"when written); rebuild it with: rm -r {bad.parent.relative_to(work)} && snakemake --cores 2 "
            f"--config 'overrides=[{','.join(TINY)}]'"]
        assert _digests(results) == before  # downstream results untouched, nothing rerun
        # the stage itself, run directly, refuses the same file before loading it
        stage_after = {"train": "infer", "traces": "floorplan"}[stage]
        direct = subprocess.run([sys.executable, "-m", "pipeline.cli", "stage", stage_after, *TINY, "--results",
                                 str(results)], capture_output=True, text=True, cwd=work, timeout=300)
        assert direct.returncode == 2 and direct.stderr.strip().splitlines()[-1].startswith(
            f"neurosim-flow: error: {results / stage / keys[stage] / name}: corrupt")
    finally:
        bad.write_bytes(original)
        os.utime(bad, ns=(mtime, mtime))
    dry = _run(work, "-n")
    assert "Nothing to be done" in dry.stdout + dry.stderr


@pytest.mark.slow
def test_rebuild_command_from_the_message_resumes(finished):
    work, keys = finished
    d = work / "results" / "traces" / keys["traces"]
    (d / "traces.parquet").write_bytes(b"PAR1 truncated")
    proc = _run(work, check=False)
    assert proc.returncode == 2 and "rebuild it with: rm -r" in proc.stderr
    import shutil

    shutil.rmtree(d)  # the message's command: remove the stage directory, then the README's command
    _run(work)
    verify_stage_dir(d)
    assert (work / "results" / "report" / keys["report"] / "report.html").is_file()


def _start_and_kill(work: Path, sig, wait_for: str):
    """Start the README's command in its own process group, wait until ``wait_for`` exists, send ``sig``."""
    proc = subprocess.Popen(_cmd(work), cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 600
    while not list(work.glob(wait_for)):
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        assert time.monotonic() < deadline, "the run never reached the stage to interrupt"
        time.sleep(0.5)
    return proc


@pytest.mark.slow
def test_ctrl_c_then_the_same_command_resumes(tmp_path):
    proc = _start_and_kill(tmp_path, signal.SIGINT, "results/logs/train/*.log")
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group (training is running)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # a user presses Ctrl-C again
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=300)
    assert proc.returncode != 0
    resumed = _run(tmp_path)
    assert "Traceback" not in resumed.stderr
    keys = stage_keys(compose(list(TINY)))
    assert (tmp_path / "results" / "report" / keys["report"] / "report.html").is_file()
    for stage, key in keys.items():
        verify_stage_dir(tmp_path / "results" / stage / key)


@pytest.mark.slow
def test_kill_9_then_the_same_command_resumes(tmp_path):
    proc = _start_and_kill(tmp_path, signal.SIGKILL, "results/logs/infer/*.log")
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its jobs die at once (OOM killer, lost node, kill -9)
    proc.wait(timeout=60)
    assert any((tmp_path / ".snakemake" / "locks").iterdir())  # Snakemake had no chance to unlock
    resumed = _run(tmp_path)
    assert "removed the lock left by a killed Snakemake run" in resumed.stderr
    keys = stage_keys(compose(list(TINY)))
    assert (tmp_path / "results" / "report" / keys["report"] / "report.html").is_file()
    for stage, key in keys.items():
        verify_stage_dir(tmp_path / "results" / stage / key)
