# One rule per stage; {key} is the hash of the config slice the stage depends on.
from pipeline.flow.plan import STAGE_FILES

#: outputs shown by `snakemake --report` (category, subcategory)
REPORTED = {
    ("report", "breakdown.png"): ("design point", "plots"),
    ("report", "shares.png"): ("design point", "plots"),
    ("report", "training_curve.png"): ("design point", "plots"),
    ("report", "report.html"): ("design point", "summary"),
    ("estimate", "layers.csv"): ("design point", "tables"),
    ("estimate", "chip.csv"): ("design point", "tables"),
    ("floorplan", "floorplan.csv"): ("design point", "tables"),
}


def _out(stage):
    outs = {}
    for f in STAGE_FILES[stage]:
        path = f"{R}/{stage}/{{key}}/{f}"
        if (stage, f) in REPORTED:
            category, sub = REPORTED[stage, f]
            path = report(path, category=category, subcategory=sub,
                          labels={"stage": stage, "file": f, "key": "{key}"})
        outs[f.replace(".", "_")] = path
    return outs


def _stage_overrides(stage):
    # The overrides of one design point that produces this output. The function takes `output`,
    # so Snakemake treats the param as derived from the (keyed) output path and does not track it
    # as a rerun trigger: two design points sharing a stage key differ only in overrides the stage
    # does not depend on, and must not rerun it.
    def overrides(wildcards, output):
        return " ".join(f"'{o}'" for o in PLAN.overrides_of(stage, wildcards.key))
    return overrides


# The command is a constant string: Snakemake evaluates `shell:` when the job runs, so it must
# not refer to the loop variable; the stage name travels in params.
CMD = f"{PY} -m pipeline.cli stage {{params.stage}} {{params.overrides}} --results {R} > {{log}} 2>&1"


for _stage, _threads in (("train", 1), ("infer", 1), ("traces", 1), ("floorplan", 1), ("estimate", 1),
                         ("report", 1)):
    rule:
        name: _stage
        output: **_out(_stage)
        input: lambda wc, s=_stage: PLAN.inputs(s, wc.key)
        params:
            stage=_stage,
            overrides=_stage_overrides(_stage),
        log: f"{R}/logs/{_stage}/{{key}}.log"
        threads: _threads
        resources:
            gpu=lambda wc, s=_stage: 1 if s == "train" and config.get("train_gpu", False) else 0,
        shell: CMD
