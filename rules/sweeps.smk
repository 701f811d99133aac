# Sweep targets (pipeline.dse): the design points of conf/sweep/<name>.yaml are estimated in chunks
# (one job per chunk of points sharing traces: pipeline/dse/batch.py), their hardware-aware accuracy
# runs per point and Monte-Carlo draw (the `infer` rule, shared wherever keys agree), and one job
# aggregates them into the sweep report (tables, Pareto front, plots).

#: sweep outputs shown by `snakemake --report`
SWEEP_REPORTED = ("sweep.csv", "metrics.png", "accuracy_vs_energy.png", "pareto.png", "radar.png", "heatmap.png")


def _sweep_out(name):
    paths = []
    for f in PLAN.sweep_files(name):
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


def _chunk_inputs(wc):
    try:
        return PLAN.chunk_inputs(wc.name, int(wc.size), int(wc.index))
    except (ConfigError, IntegrityError) as exc:
        print(f"neurosim-flow: error: {exc}", file=sys.stderr, flush=True)
        sys.exit(2)


rule dse_chunk:
    output: directory(f"{R}/sweep/{{name}}/{{key}}/chunks/s{{size}}_{{index}}")
    input: _chunk_inputs
    wildcard_constraints: name=r"[A-Za-z0-9_\-]+", key=r"[0-9a-f]{12}", size=r"\d+", index=r"\d+"
    params: overrides=" ".join(f"'{o}'" for o in OVERRIDES)
    log: f"{R}/logs/sweep/{{name}}/{{key}}/chunk_s{{size}}_{{index}}.log"
    shell: f"{PY} -m pipeline.dse.batch {{wildcards.name}} {{wildcards.index}} {{params.overrides}} --results {R} "
           f"--chunk-size {{wildcards.size}} --out {{output}} > {{log}} 2>&1"


for _name in PLAN.sweeps:
    rule:
        name: f"sweep_{_name}_aggregate"
        input: lambda wc, n=_name: _sweep_inputs(n)  # composes the points only when asked for
        output: _sweep_out(_name)
        params: overrides=" ".join(f"'{o}'" for o in OVERRIDES), name=_name, cores=PLAN.cores
        log: f"{R}/logs/sweep/{_name}.log"
        shell: f"{PY} -m pipeline.cli sweep {{params.name}} {{params.overrides}} --cores {{params.cores}} > {{log}} 2>&1"

    rule:
        name: f"sweep_{_name}"
        input: PLAN.sweep_targets(_name)
