"""Nothing lost, clean resume: result manifests, corrupt-input detection, writable checks, stale locks.

* Every stage directory gets ``.manifest.json`` (size, mtime and SHA-256 of each file), written
  last, when the stage has published all its files.  `verify_stage_dir` checks a directory against
  it before anything reads it (the Snakefile, before any job starts; a stage, before it loads its
  inputs): a truncated or altered file is one line naming the file and the command that rebuilds
  it, instead of a rerun that deletes good downstream results and then fails inside torch.
* `check_writable`: a read-only results directory is one line, before any job.
* `recover_stale_lock`: Snakemake keeps ``.snakemake/locks/`` when it is killed with SIGKILL (or the
  machine dies); the next run would refuse to start until ``snakemake --unlock``.  Each Snakemake
  main process of this workflow registers itself (host, pid) next to the locks; a lock whose every
  registered owner on this host is gone (and none of whose jobs still runs) is stale and removed,
  with a one-line notice.  Locks of a live run, or of a run on another host, are left alone.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import shlex
import shutil
import socket
from pathlib import Path
from typing import Sequence

MANIFEST = ".manifest.json"


class IntegrityError(ValueError):
    """A result file is not what its stage wrote (one line: the file and how to rebuild it)."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(stage_dir: Path) -> None:
    """Record every file of a finished stage directory (written atomically, last)."""
    stage_dir = Path(stage_dir)
    files = {}
    for p in sorted(stage_dir.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            st = p.stat()
            files[p.name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(p)}
    tmp = stage_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"files": files}, indent=1))
    tmp.replace(stage_dir / MANIFEST)


def rebuild_command(stage_dir: Path, overrides: Sequence[str] = ()) -> str:
    cfg = f" --config 'overrides=[{','.join(overrides)}]'" if overrides else ""
    return f"rm -r {shlex.quote(str(stage_dir))} && snakemake --cores 2{cfg}"


def verify_stage_dir(stage_dir: Path, overrides: Sequence[str] = ()) -> None:
    """Raise `IntegrityError` if a file recorded in the directory's manifest was altered.

    Size first (a truncated file is caught without reading it), then, only when size or mtime
    differ from the record, the SHA-256.  A deleted file is not an error (Snakemake reruns its
    stage); a directory without a manifest is left to the stage's own load checks (an unfinished
    stage has no manifest, and Snakemake reruns it)."""
    stage_dir = Path(stage_dir)
    man = stage_dir / MANIFEST
    if not man.is_file():
        return
    how = rebuild_command(stage_dir, overrides)
    try:
        files = json.loads(man.read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise IntegrityError(f"{man}: unreadable result manifest; rebuild the stage with: {how}") from None
    for name, rec in files.items():
        p = stage_dir / name
        if not p.is_file():
            continue
        st = p.stat()
        if st.st_size != rec["size"]:
            raise IntegrityError(f"{p}: corrupt ({st.st_size} bytes, {rec['size']} when written); "
                                 f"rebuild it with: {how}")
        if st.st_mtime_ns != rec["mtime_ns"] and _sha256(p) != rec["sha256"]:
            raise IntegrityError(f"{p}: corrupt (content differs from when it was written); rebuild it with: {how}")


def check_writable(results_dir: Path) -> None:
    """One line if results cannot be written (a read-only directory, or a file in its place)."""
    d = Path(results_dir)
    probe = d
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise IntegrityError(f"results_dir '{results_dir}': {probe} is a file, not a directory; "
                             "choose another results_dir")
    if not os.access(probe, os.W_OK | os.X_OK):
        what = "the results directory" if probe == d else f"{probe} (where it would be created)"
        raise IntegrityError(f"results_dir '{results_dir}': {what} is not writable; make it writable "
                             "or choose another results_dir (override results_dir=PATH)")


# ---------------------------------------------------------------------------------------------
# stale Snakemake locks
# ---------------------------------------------------------------------------------------------
def _pgid_alive(pgid: int) -> bool:
    """Whether any live process belongs to process group ``pgid`` (a job of a killed run)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if pgid > 0 and fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def recover_stale_lock(workdir: Path = Path(".")) -> str | None:
    """Register this Snakemake process as an owner of ``workdir``'s locks; remove a stale lock.

    Returns a one-line notice when a stale lock was removed, else None; raises `IntegrityError`
    when the killed run's jobs still run (they would race with a new run)."""
    smk = Path(workdir) / ".snakemake"
    owners = smk / "neurosim-flow-owners"
    locks = smk / "locks"
    host, pid = socket.gethostname(), os.getpid()
    notice = None
    if locks.is_dir() and any(locks.iterdir()):
        records = []
        for f in owners.glob("*.json") if owners.is_dir() else []:
            try:
                records.append((f, json.loads(f.read_text())))
            except (OSError, ValueError):
                continue
        dead = [(f, r) for f, r in records if r.get("host") == host and not _pid_alive(int(r["pid"]))]
        alive = [r for f, r in records if (f, r) not in dead]
        busy = [r for _, r in dead if _pgid_alive(int(r.get("pgid", -1)))]
        if dead and not alive and not busy:
            shutil.rmtree(locks, ignore_errors=True)
            for f, _ in dead:
                f.unlink(missing_ok=True)
            notice = (f"neurosim-flow: removed the lock left by a killed Snakemake run (pid "
                      f"{', '.join(str(r['pid']) for _, r in dead)}); resuming (incomplete jobs rerun)")
        elif busy:
            pg = ", ".join(str(r["pgid"]) for r in busy)
            raise IntegrityError(f"a killed Snakemake run (pid {', '.join(str(r['pid']) for r in busy)}) still has "
                                 f"jobs running (process group {pg}); wait for them or stop them "
                                 f"(kill -- -{busy[0]['pgid']}), then rerun")
    owners.mkdir(parents=True, exist_ok=True)
    me = owners / f"{host}-{pid}.json"
    # the process group identifies a killed run's jobs only when Snakemake led its own group
    pgid = os.getpgid(0) if os.getpgid(0) == pid else -1
    me.write_text(json.dumps({"host": host, "pid": pid, "pgid": pgid}))
    atexit.register(lambda: me.unlink(missing_ok=True))
    return notice


__all__ = ["IntegrityError", "MANIFEST", "write_manifest", "verify_stage_dir", "check_writable",
           "recover_stale_lock", "rebuild_command"]
