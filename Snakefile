# neurosim-flow DAG: train -> infer -> traces -> floorplan -> estimate -> report (+ sweeps).
# Wiring only: paths come from pipeline.plan, work is done by `python -m pipeline.cli stage ...`.
#   snakemake --cores 2                                   main job on the embedded default
#   snakemake --cores 2 --config 'overrides=[array.adc_bits=4,device=rram]'
#   snakemake --cores 16 sweep_adc                        (sweep_device, sweep_array, sweep_tech)
import sys
from pipeline.plan import Plan

OVERRIDES = list(config.get("overrides", []))
PLAN = Plan.build(OVERRIDES)
PY = sys.executable
R = PLAN.results_dir


rule all:
    default_target: True
    input: PLAN.main_targets()


include: "rules/stages.smk"
include: "rules/sweeps.smk"
