# One rule per stage; {key} is the hash of the config slice the stage depends on.
from pipeline.plan import STAGE_FILES


def _out(stage):
    return {f.replace(".", "_"): f"{R}/{stage}/{{key}}/{f}" for f in STAGE_FILES[stage]}


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
            overrides=lambda wc, s=_stage: " ".join(f"'{o}'" for o in PLAN.overrides_of(s, wc.key)),
        log: f"{R}/logs/{_stage}/{{key}}.log"
        threads: _threads
        resources:
            gpu=lambda wc, s=_stage: 1 if s == "train" and config.get("train_gpu", False) else 0,
        shell: CMD
