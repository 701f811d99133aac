# Sweep targets: fan the design points out, then aggregate them into one table and plots.
from pipeline.plan import SWEEP_FILES


for _name in PLAN.sweeps:
    rule:
        name: f"sweep_{_name}_aggregate"
        input: PLAN.sweep_inputs(_name)
        output: [str(PLAN.sweep_dir(_name) / f) for f in SWEEP_FILES]
        params: overrides=" ".join(f"'{o}'" for o in OVERRIDES), name=_name
        log: f"{R}/logs/sweep/{_name}.log"
        shell: f"{PY} -m pipeline.cli sweep {{params.name}} {{params.overrides}} > {{log}} 2>&1"

    rule:
        name: f"sweep_{_name}"
        input: PLAN.sweep_targets(_name)
