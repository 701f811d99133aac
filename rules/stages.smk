# One rule per stage; {key} is the hash of the config slice the stage depends on.
from pipeline.plan import STAGE_FILES


def _out(stage):
    return {f.replace(".", "_"): f"{R}/{stage}/{{key}}/{f}" for f in STAGE_FILES[stage]}


def _cmd(stage):
    return (f"{PY} -m pipeline.cli stage {stage} {{params.overrides}} --results {R} "
            f"--log {{log}} > /dev/null 2>&1")


for _stage, _threads in (("train", 1), ("infer", 1), ("traces", 1), ("floorplan", 1), ("estimate", 1),
                         ("report", 1)):
    rule:
        name: _stage
        output: **_out(_stage)
        input: lambda wc, s=_stage: PLAN.inputs(s, wc.key)
        params:
            overrides=lambda wc, s=_stage: " ".join(f"'{o}'" for o in PLAN.overrides_of(s, wc.key)),
        log: f"{R}/logs/{_stage}/{{key}}.log"
        threads: _threads
        resources:
            gpu=lambda wc, s=_stage: 1 if s == "train" and config.get("train_gpu", False) else 0,
        shell: _cmd(_stage)
