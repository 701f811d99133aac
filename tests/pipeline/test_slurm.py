"""Integration: the project's own DAG submitted through `profiles/slurm` to a private single-node Slurm.

Opt-in: runs only with ``NEUROSIM_SLURM_TESTS=1`` on a machine where Slurm and MUNGE are installed
(Debian/Ubuntu: ``apt-get install slurmctld slurmd slurm-client munge``; `.ci/run` does that as CI's
own preparation).  Without the variable the tests are skipped; with it, a missing binary is a failure.

Leaves the machine as it found it: the cluster lives in a private temporary directory (its own
``slurm.conf`` reached through ``SLURM_CONF`` in the test's environment only, its own MUNGE key,
socket, state and spool directories, free TCP ports), so nothing is written under ``/etc`` or
``/var``, a site's real Slurm (if any) is not touched, and every daemon it started (munged,
slurmctld, slurmd) is stopped by pid and the directory removed at the end.  Later commands do not
see the configuration (the executor plugin's ``scontrol show config`` at import stays fast).

The DAG test runs the tiny pipeline (train -> infer -> traces -> floorplan -> estimate -> report)
and a two-point ADC sweep through the Slurm executor, then the same on the local executor, and
checks the results are equal.
"""
import csv
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
OPT_IN = os.environ.get("NEUROSIM_SLURM_TESTS", "") == "1"
BINARIES = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "srun", "squeue", "scontrol", "sinfo")

pytestmark = [
    pytest.mark.slurm, pytest.mark.slow,
    pytest.mark.skipif(not OPT_IN, reason="local-Slurm test: opt in with NEUROSIM_SLURM_TESTS=1 where Slurm "
                                          "and MUNGE are installed (see README, 'Tests')"),
]

#: the e2e test's tiny config (a few training steps on a narrow VGG-8)
TINY = ["train.max_steps=4", "train.batch_size=32", "data.n_train=128", "data.n_test=16",
        "network.width_mult=0.125"]
SWEEP = ["sweep.values=[4,6]"]  # a two-point ADC sweep (`sweep_adc`)


def _free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _pid(path: Path):
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) counts as stopped
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _stop(pid, grace_s=20.0) -> None:
    """Stop one daemon we started: SIGTERM, then SIGKILL after ``grace_s``."""
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


class PrivateSlurm:
    """A one-node Slurm + MUNGE living entirely under ``base`` (a fresh temporary directory)."""

    def __init__(self, base: Path):
        self.base = base
        self.host = socket.gethostname().split(".")[0]
        self.conf = base / "slurm.conf"
        self.run = base / "run"  # pid files and the MUNGE socket (must be reachable by all)
        # The Slurm job-step plugin drops every SLURM_* variable but the job id before its nested
        # `srun`, SLURM_CONF included (a site's Slurm finds /etc/slurm or its configless server).
        # A private configuration reaches that srun through a shim first on PATH.
        self.bin = base / "bin"
        self.env = dict(os.environ, SLURM_CONF=str(self.conf), PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}")
        self.pids: dict[str, int] = {}
        self.user = pwd.getpwuid(os.getuid()).pw_name

    def _call(self, args, **kw):
        return subprocess.run(args, capture_output=True, text=True, env=self.env, timeout=60, **kw)

    def write(self) -> None:
        b = self.base
        for sub, mode in (("run", 0o755), ("munge", 0o700), ("state", 0o700), ("spool", 0o755)):
            (b / sub).mkdir(mode=mode)
            os.chmod(b / sub, mode)
        os.chmod(b, 0o755)  # munged insists that every directory above its socket is traversable
        ctld_port, d_port = _free_ports(2)
        # Declared, not probed, size (config_overrides): the profile's per-rule requests (train: 4 CPUs,
        # 16 GB) must fit the one node; Snakemake's --jobs limits how many run at once.
        (b / "plugstack.conf").write_text("")
        self.bin.mkdir()
        shim = self.bin / "srun"
        shim.write_text(f"#!/bin/sh\nSLURM_CONF={self.conf} exec {shutil.which('srun')} \"$@\"\n")
        shim.chmod(0o755)
        self.conf.write_text(f"""# private test cluster (tests/pipeline/test_slurm.py); removed after the test
ClusterName=nsflowtest
SlurmctldHost={self.host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
SlurmUser={self.user}
SlurmdUser={self.user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.run}/munge.sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
PlugStackConfig={b}/plugstack.conf
StateSaveLocation={b}/state
SlurmdSpoolDir={b}/spool
SlurmctldPidFile={self.run}/slurmctld.pid
SlurmdPidFile={self.run}/slurmd.pid
SlurmctldLogFile={b}/slurmctld.log
SlurmdLogFile={b}/slurmd.log
SlurmdParameters=config_overrides
ReturnToService=2
NodeName={self.host} NodeAddr=127.0.0.1 CPUs=4 RealMemory=32000 State=UNKNOWN
PartitionName=debug Nodes={self.host} Default=YES MaxTime=INFINITE State=UP
""")

    def start(self) -> None:
        b, run = self.base, self.run
        key = b / "munge" / "munge.key"
        p = self._call(["mungekey", "--create", f"--keyfile={key}"])
        assert p.returncode == 0, f"mungekey: {p.stderr.strip()}"
        p = self._call(["munged", f"--key-file={key}", f"--socket={run}/munge.sock", f"--pid-file={run}/munged.pid",
                        f"--log-file={b}/munge/munged.log", f"--seed-file={b}/munge/munged.seed"])
        self.pids["munged"] = _pid(run / "munged.pid")
        assert p.returncode == 0, f"munged would not start: {p.stderr.strip()[-300:]}"
        for daemon in ("slurmctld", "slurmd"):
            p = self._call([daemon])
            assert p.returncode == 0, f"{daemon} would not start: {p.stderr.strip()[-300:]}"
            for _ in range(50):
                if (run / f"{daemon}.pid").exists():
                    break
                time.sleep(0.1)
            self.pids[daemon] = _pid(run / f"{daemon}.pid")
        out = ""
        for _ in range(60):
            out = self._call(["sinfo", "-h", "-o", "%T"]).stdout
            if "idle" in out:
                return
            time.sleep(1)
        log = (b / "slurmctld.log").read_text()[-800:] if (b / "slurmctld.log").exists() else ""
        raise AssertionError(f"the private Slurm node never became idle (sinfo: {out.strip()!r}); {log}")

    def stop(self) -> None:
        if "slurmctld" in self.pids:
            self._call(["scontrol", "shutdown"])  # stops slurmctld and the slurmd it knows
        for name in ("slurmd", "slurmctld", "munged"):
            _stop(self.pids.get(name))
        # a daemon that wrote its pid file late
        for name in ("slurmd", "slurmctld", "munged"):
            pid = _pid(self.run / f"{name}.pid")
            if pid and pid != self.pids.get(name):
                _stop(pid)


@pytest.fixture(scope="module")
def local_slurm():
    missing = [b for b in BINARIES if not shutil.which(b)]
    if missing:
        pytest.fail(f"NEUROSIM_SLURM_TESTS=1 but not installed: {', '.join(missing)} "
                    "(Debian/Ubuntu: apt-get install slurmctld slurmd slurm-client munge)")
    base = Path(tempfile.mkdtemp(prefix="nsflow-slurm-"))
    cluster = PrivateSlurm(base)
    try:
        cluster.write()
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        leftover = {n: p for n, p in cluster.pids.items() if _alive(p)}
        shutil.rmtree(base, ignore_errors=True)
        assert not leftover, f"daemons still running after the test: {leftover}"


def test_sbatch_runs_in_the_private_cluster(local_slurm, tmp_path):
    out = tmp_path / "job.out"
    p = subprocess.run(["sbatch", "--wait", "-o", str(out), "--wrap", "echo $SLURM_JOB_ID"],
                       capture_output=True, text=True, env=local_slurm.env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert out.read_text().strip().isdigit()


def _snakemake(workdir: Path, *args, env=None, timeout=1500):
    cfg = workdir / "flow.yaml"
    cfg.write_text(yaml.safe_dump({"overrides": TINY + SWEEP}))
    cmd = [str(SNAKEMAKE), "all", "sweep_adc", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           *args, "--configfile", str(cfg)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"snakemake did not finish in {timeout} s: {str(exc.stderr)[-3000:]}") from None
    assert proc.returncode == 0, (proc.stdout[-3000:] + proc.stderr[-4000:])
    return proc


#: columns that time the run (wall clock), not its result
WALL_CLOCK = {"estimate_s"}


def _results(workdir: Path) -> dict[str, object]:
    """Every result that must not depend on where it ran: tables' values, the model's weights."""
    import pyarrow.parquet as pq
    import torch

    res = workdir / "results"
    out: dict[str, object] = {}
    for p in sorted(res.rglob("*")):
        rel = str(p.relative_to(res))
        if p.suffix == ".parquet":
            out[rel] = [{k: v for k, v in row.items() if k not in WALL_CLOCK} for row in pq.read_table(p).to_pylist()]
        elif p.suffix == ".csv":
            rows = list(csv.reader(p.read_text().splitlines()))
            keep = [i for i, name in enumerate(rows[0] if rows else []) if name not in WALL_CLOCK]
            out[rel] = [[r[i] for i in keep if i < len(r)] for r in rows]
        elif p.suffix == ".md":
            out[rel] = p.read_text()
        elif p.name == "model.pt":
            state = torch.load(p, map_location="cpu", weights_only=False)["model"]
            out[rel] = {k: v.tolist() for k, v in state.items()}
    return out


def test_real_dag_and_sweep_through_the_slurm_profile_equal_a_local_run(local_slurm, tmp_path):
    slurm_dir, local_dir = tmp_path / "slurm", tmp_path / "local"
    slurm_dir.mkdir()
    local_dir.mkdir()
    # no accounting database in the private cluster: job states come from squeue
    _snakemake(slurm_dir, "--profile", str(ROOT / "profiles/slurm"), "--jobs", "4",
               "--slurm-status-command", "squeue", "--slurm-keep-successful-logs",
               "--slurm-init-seconds-before-status-checks", "2", "--latency-wait", "10",
               "--default-resources", "slurm_partition=debug", "mem_mb=1000", "runtime=30",
               env=local_slurm.env)
    # every rule ran as a Slurm job (the plugin keeps one log per job, named by rule and job id)
    logs = slurm_dir / ".snakemake" / "slurm_logs"
    ran = {p.name.removeprefix("rule_") for p in logs.iterdir()} if logs.exists() else set()
    assert {"train", "infer", "traces", "floorplan", "estimate", "report", "sweep_adc_aggregate"} <= ran, ran
    # main point (5-bit ADC) + the sweep's 4- and 6-bit points; training and traces are shared
    assert len(list((logs / "rule_infer").rglob("*.log"))) == 3
    assert len(list((logs / "rule_train").rglob("*.log"))) == 1

    _snakemake(local_dir, "--cores", "2")
    slurm_res, local_res = _results(slurm_dir), _results(local_dir)
    assert set(slurm_res) == set(local_res)
    assert any(k.startswith("sweep/adc/") and k.endswith("sweep.csv") for k in slurm_res)
    for name in sorted(local_res):
        assert slurm_res[name] == local_res[name], f"{name} differs between the Slurm and the local run"
