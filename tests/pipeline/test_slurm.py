"""Integration: a tiny workflow submitted through `profiles/slurm` to a real single-node Slurm.

The fixture installs Debian's slurm-wlm + munge when missing (root only), writes a minimal
slurm.conf for this machine, starts munged, slurmctld and slurmd, and shuts them down after.
It skips, with the reason, only where Slurm cannot be installed or started here.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slurm, pytest.mark.slow]


def _run(cmd, **kw):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True, **kw)


def _ensure_installed():
    if shutil.which("slurmctld") and shutil.which("munged"):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "slurm-wlm is not installed and this user cannot apt-get install it"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    proc = _run("apt-get install -y -qq slurm-wlm munge || (apt-get update -qq && apt-get install -y -qq slurm-wlm munge)",
                env=env, timeout=600)
    if proc.returncode != 0 or not shutil.which("slurmctld"):
        return f"apt-get install slurm-wlm failed: {proc.stderr.strip().splitlines()[-1:] }"
    return None


@pytest.fixture(scope="module")
def local_slurm(tmp_path_factory):
    reason = _ensure_installed()
    if reason:
        pytest.skip(reason)
    host = socket.gethostname().split(".")[0]
    cpus = os.cpu_count() or 1
    mem_mb = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8)
    state = tmp_path_factory.mktemp("slurm")
    conf = f"""ClusterName=nsflowtest
SlurmctldHost={host}
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation={state}/ctld
SlurmdSpoolDir={state}/d
SlurmctldPidFile={state}/slurmctld.pid
SlurmdPidFile={state}/slurmd.pid
SlurmctldLogFile={state}/slurmctld.log
SlurmdLogFile={state}/slurmd.log
ReturnToService=2
NodeName={host} CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN
PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""
    (state / "ctld").mkdir()
    (state / "d").mkdir()
    Path("/etc/slurm").mkdir(exist_ok=True)
    conf_path = Path("/etc/slurm/slurm.conf")
    backup = conf_path.read_text() if conf_path.exists() else None
    conf_path.write_text(conf)
    key = Path("/etc/munge/munge.key")
    if not key.exists():
        _run("mungekey --create 2>/dev/null || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; "
             "chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key")
    _run("mkdir -p /run/munge /var/log/munge /var/lib/munge && chown -R munge:munge /run/munge /var/log/munge "
         "/var/lib/munge /etc/munge")
    started = []
    try:
        if _run("pgrep -x munged").returncode != 0:
            p = _run("runuser -u munge -- /usr/sbin/munged")
            if p.returncode != 0:
                pytest.skip(f"munged would not start: {p.stderr.strip()[:200]}")
            started.append("munged")
        _run("pkill -x slurmctld; pkill -x slurmd; sleep 1")
        for daemon in ("slurmctld", "slurmd"):
            p = _run(f"{daemon}")
            if p.returncode != 0:
                pytest.skip(f"{daemon} would not start: {p.stderr.strip()[:200]}")
            started.append(daemon)
        for _ in range(60):
            out = _run("sinfo -h -o %T").stdout
            if "idle" in out:
                break
            time.sleep(1)
        else:
            pytest.skip(f"the local Slurm node never became idle (sinfo: {out.strip()})")
        yield host
    finally:
        _run("pkill -x slurmd; pkill -x slurmctld")
        if "munged" in started:
            _run("pkill -x munged")
        if backup is not None:
            conf_path.write_text(backup)


def test_sbatch_runs(local_slurm):
    out = _run("sbatch --wait --wrap 'hostname' -o /tmp/nsflow_sbatch.out", timeout=120)
    assert out.returncode == 0, out.stderr
    assert Path("/tmp/nsflow_sbatch.out").read_text().strip()


def test_workflow_through_the_slurm_profile(local_slurm, tmp_path):
    wf = tmp_path / "Snakefile"
    wf.write_text(f"""
rule all:
    input: "out/resolved.yaml", "out/job.txt"

rule resolved:
    output: "out/resolved.yaml"
    shell: "cd {ROOT} && {sys.executable} -m pipeline.cli config array.adc_bits=4 > {{tmp_path}}/{{output}}"

rule job:
    output: "out/job.txt"
    shell: "echo $SLURM_JOB_ID > {{output}}"
""".replace("{tmp_path}", str(tmp_path)))
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run(
        [str(snakemake), "--profile", str(ROOT / "profiles/slurm"), "-s", str(wf), "-d", str(tmp_path),
         "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "2",
         "--latency-wait", "10", "--jobs", "2", "--default-resources", "mem_mb=500", "runtime=5",
         "slurm_partition=debug"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "adc_bits: 4" in (tmp_path / "out/resolved.yaml").read_text()
    assert (tmp_path / "out/job.txt").read_text().strip().isdigit()  # ran inside a Slurm job
