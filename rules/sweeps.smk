# Sweep targets: fan the design points out, then aggregate them into one table and plots.
from pipeline.plan import SWEEP_FILES

#: sweep outputs shown by `snakemake --report`
SWEEP_REPORTED = ("sweep.csv", "metrics.png", "accuracy_vs_energy.png")


def _sweep_out(name):
    paths = []
    for f in SWEEP_FILES:
        path = str(PLAN.sweep_dir(name) / f)
        if f in SWEEP_REPORTED:
            path = report(path, category=f"sweep {name}", labels={"sweep": name, "file": f})
        paths.append(path)
    return paths


def _sweep_inputs(name):
    # A bad value in conf/sweep/<name>.yaml (or a corrupt result of a point): one line, status 2,
    # while Snakemake builds the DAG, before any job starts.
    try:
        files = PLAN.sweep_inputs(name)
        if workflow.is_main_process:
            for value, point in PLAN.sweeps[name][1]:
                try:
                    check_floorplan(PLAN.flow(point), PLAN.results_dir)
                except ConfigError as exc:
                    raise ConfigError(f"conf/sweep/{name}.yaml: {value}: {exc}") from None
        return files
    except (ConfigError, IntegrityError) as exc:
        print(f"neurosim-flow: error: {exc}", file=sys.stderr, flush=True)
        sys.exit(2)


for _name in PLAN.sweeps:
    rule:
        name: f"sweep_{_name}_aggregate"
        input: lambda wc, n=_name: _sweep_inputs(n)  # composes the points only when asked for
        output: _sweep_out(_name)
        params: overrides=" ".join(f"'{o}'" for o in OVERRIDES), name=_name
        log: f"{R}/logs/sweep/{_name}.log"
        shell: f"{PY} -m pipeline.cli sweep {{params.name}} {{params.overrides}} > {{log}} 2>&1"

    rule:
        name: f"sweep_{_name}"
        input: PLAN.sweep_targets(_name)
