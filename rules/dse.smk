# Published tables re-run side by side (pipeline/dse/reproduce.py): the design points of
# pipeline/dse/published/<table>.yaml estimated on the VGG-8 traces of tests/data/traces_vgg8.
#   snakemake --cores 1 reproduce_iedm19_table1 reproduce_v14_table7
from pipeline.dse.reproduce import PUBLISHED, TABLES

for _table in TABLES:
    rule:
        name: f"reproduce_{_table}"
        input:
            published=str(PUBLISHED / f"{_table}.yaml"),
            traces=sorted(str(p) for p in (Path(workflow.basedir) / "tests" / "data" / "traces_vgg8").glob("*.npz")),
        output:
            md=report(f"{R}/reproduce/{_table}/table.md", category="published tables"),
            csv=f"{R}/reproduce/{_table}/table.csv",
            parquet=f"{R}/reproduce/{_table}/table.parquet",
        params:
            table=_table, traces=str(Path(workflow.basedir) / "tests" / "data" / "traces_vgg8"),
            out=f"{R}/reproduce/{_table}",
        log: f"{R}/logs/reproduce/{_table}.log"
        # `shell:` is evaluated when the job runs: the loop variable must travel in params
        shell: f"{PY} -m pipeline.dse.reproduce {{params.table}} --traces {{params.traces}} --out {{params.out}} "
               f"> {{log}} 2>&1"
