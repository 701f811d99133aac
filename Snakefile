# neurosim-flow DAG: train -> infer -> traces -> floorplan -> estimate -> report (+ sweeps).
# Wiring only: paths come from pipeline.plan, work is done by `python -m pipeline.cli stage ...`.
#   snakemake --cores 2                                   main job on the embedded default
#   snakemake --cores 2 --config 'overrides=[array.adc_bits=4,device=rram]'
#   snakemake --cores 16 sweep_adc                        (sweep_device, sweep_array, sweep_tech)
import sys
from neurosim_core.params import ConfigError
from pipeline.integrity import IntegrityError, check_writable, recover_stale_lock
from pipeline.plan import Plan
from pipeline.precheck import check_floorplan

_ov = config.get("overrides", [])
OVERRIDES = [str(_ov)] if isinstance(_ov, str) else [str(o) for o in _ov]  # one override or a list

try:
    PLAN = Plan.build(OVERRIDES)
    if workflow.is_main_process:
        check_writable(PLAN.results_dir)
        PLAN.verify(PLAN.main_keys, OVERRIDES)  # corrupt earlier results: before any job
        check_floorplan(PLAN.main_flow(), PLAN.results_dir)  # the array fits the network
        _notice = recover_stale_lock()  # a lock left by a killed run (kill -9): resume anyway
        if _notice:
            print(_notice, file=sys.stderr, flush=True)
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
include: "rules/training.smk"
