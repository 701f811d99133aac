# On-chip training DAG (wiring only; keys and paths from pipeline.training.plan):
#   train_onchip_epoch (one job per epoch, from the previous epoch's state: resumable) -> per-epoch
#   train_traces.parquet -> one estimate_training job per traced epoch (independent) ->
#   aggregate_training (per-epoch table, totals, plots); train_onchip collects history/stats.
#   snakemake --cores 2 training
#   snakemake --cores 8 sweep_nl            (conf/sweep/training/nl.yaml)
from pipeline.training.plan import TRAIN_FILES, TrainingPlan

try:
    TPLAN = TrainingPlan.build(OVERRIDES)
except ConfigError as exc:  # one line, before any job starts, status 2 (as in the Snakefile)
    print(f"neurosim-flow: error: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)
TCMD = f"{PY} -m pipeline.training.cli"


def _t_overrides(stage):
    # derived from the keyed output path (not a rerun trigger), as in rules/stages.smk
    def overrides(wildcards, output):
        return " ".join(f"'{o}'" for o in TPLAN.overrides_of(stage, wildcards.key))
    return overrides


def _epoch(wildcards):
    return int(wildcards.epoch)


def _gpu(wildcards):
    return 1 if config.get("train_gpu", False) else 0


_TRAIN_COLLECT_OUT = [R + "/train_onchip/{key}/" + f for f in TRAIN_FILES]


wildcard_constraints:
    epoch=r"\d{3}",


rule train_onchip_epoch:
    input: lambda wc: TPLAN.train_epoch_inputs(wc.key, int(wc.epoch))
    output:
        traces=R + "/train_onchip/{key}/epoch_{epoch}/train_traces.parquet",
        record=R + "/train_onchip/{key}/epoch_{epoch}/record.json",
        state=temp(R + "/train_onchip/{key}/epoch_{epoch}/state.pt"),
    params:
        overrides=_t_overrides("train_onchip"),
        epoch=_epoch,
    log: R + "/logs/train_onchip/{key}/epoch_{epoch}.log"
    threads: 1
    resources:
        gpu=_gpu,
    shell: f"{TCMD} train --epoch {{params.epoch}} {{params.overrides}} --results {R} > {{log}} 2>&1"


rule train_onchip:
    input: lambda wc: TPLAN.train_collect_inputs(wc.key)
    output: _TRAIN_COLLECT_OUT
    params: overrides=_t_overrides("train_onchip")
    log: R + "/logs/train_onchip/{key}/collect.log"
    shell: f"{TCMD} train {{params.overrides}} --results {R} > {{log}} 2>&1"


rule estimate_training:
    input: lambda wc: TPLAN.estimate_inputs(wc.key, int(wc.epoch))
    output:
        parquet=R + "/estimate_training/{key}/epoch_{epoch}/estimate.parquet",
        csv=R + "/estimate_training/{key}/epoch_{epoch}/estimate.csv",
        cfg=R + "/estimate_training/{key}/epoch_{epoch}/config.yaml",
    params:
        overrides=_t_overrides("estimate_training"),
        epoch=_epoch,
    log: R + "/logs/estimate_training/{key}/epoch_{epoch}.log"
    threads: 1
    shell: f"{TCMD} estimate --epoch {{params.epoch}} {{params.overrides}} --results {R} > {{log}} 2>&1"


rule aggregate_training:
    input: lambda wc: TPLAN.aggregate_inputs(wc.key)
    output:
        table=R + "/training/{key}/per_epoch.parquet",
        csv=report(R + "/training/{key}/per_epoch.csv", category="training"),
        totals=R + "/training/{key}/totals.csv",
        summary=R + "/training/{key}/summary.md",
        acc=report(R + "/training/{key}/accuracy.png", category="training"),
        el=report(R + "/training/{key}/energy_latency.png", category="training"),
        ae=report(R + "/training/{key}/accuracy_vs_energy.png", category="training"),
        cfg=R + "/training/{key}/config.yaml",
    params: overrides=_t_overrides("training")
    log: R + "/logs/training/{key}.log"
    shell: f"{TCMD} aggregate {{params.overrides}} --results {R} > {{log}} 2>&1"


rule training:
    input: lambda wc: TPLAN.main_targets()      # composed only when asked for


rule training_traces:
    input: lambda wc: TPLAN.train_targets()


for _tname in TPLAN.sweeps:
    rule:
        name: f"sweep_{_tname}"
        input: lambda wc, n=_tname: TPLAN.sweep_inputs(n)
        output: TPLAN.sweep_targets(_tname)
        params: overrides=" ".join(f"'{o}'" for o in OVERRIDES), name=_tname
        log: R + f"/logs/training_sweep/{_tname}.log"
        shell: f"{TCMD} sweep {{params.name}} {{params.overrides}} --results {R} > {{log}} 2>&1"
