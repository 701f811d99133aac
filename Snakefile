# neurosim-flow DAG: train -> infer -> traces -> floorplan -> estimate -> report (+ sweeps).
# Wiring only: paths come from pipeline.flow.plan, work is done by `python -m pipeline.cli stage ...`.
#   snakemake --cores 2                                   main job on the embedded default
#   snakemake --cores 2 --config 'overrides=[array.adc_bits=4,device=rram]'
#   snakemake --cores 16 sweep_adc                        (any conf/sweep/<name>.yaml: sweep_<name>)
#   snakemake --cores 1 reproduce_iedm19_table1 reproduce_v14_table7
import sys
from pathlib import Path
from neurosim_core.params import ConfigError
from pipeline.flow.integrity import IntegrityError, check_writable, recover_stale_lock
from pipeline.flow.plan import Plan
from pipeline.flow.precheck import check_floorplan

_ov = config.get("overrides", [])
OVERRIDES = [str(_ov)] if isinstance(_ov, str) else [str(o) for o in _ov]  # one override or a list

def _total_cores():
    """``--cores`` of a local run; None under a remote executor (Slurm runs with --jobs only)."""
    from snakemake.exceptions import WorkflowError
    try:
        return workflow.cores
    except WorkflowError:
        return None


try:
    PLAN = Plan.build(OVERRIDES, cores=int(config.get("dse_cores") or _total_cores() or 2))
    if workflow.is_main_process:
        check_writable(PLAN.results_dir)
        PLAN.verify(PLAN.main_keys, OVERRIDES)  # corrupt earlier results: before any job
        check_floorplan(PLAN.main_flow(), PLAN.results_dir)  # the array fits the network
        _notice = recover_stale_lock()  # a lock left by a killed run (kill -9): resume anyway
        if _notice:
            print(_notice, file=sys.stderr, flush=True)
        # the targets are not known to the workflow while this file is parsed: read them off the command
        # line, so that a bad design point of a requested sweep fails in one line before any job starts
        PLAN.check_requested((getattr(workflow.dag_settings, "targets", None) or ()) or sys.argv[1:])
except (ConfigError, IntegrityError) as exc:  # one line, before any job starts, status 2
    print(f"neurosim-flow: error: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)
PY = sys.executable
R = PLAN.results_dir


rule all:
    default_target: True
    input: PLAN.main_targets()


include: "rules/stages.smk"
include: "rules/sweeps.smk"
include: "rules/dse.smk"
include: "rules/training.smk"
