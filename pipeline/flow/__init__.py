"""Flow wiring: config composition and validation, the DAG plan, the stage entry points, the table
schemas and the report-unit edge, integrity checks, and the direct (no-Snakemake) estimate commands.

Modules: `config` (Hydra composition, typed groups), `confschema` (group building blocks), `plan`
(design points, keyed stage paths), `stages` (``run_<stage>``), `precheck` (floorplan fit before any
job), `integrity` (manifests, writable checks, stale locks), `schemas` (Parquet schemas), `tables`
(SI results -> report-unit rows), `direct` (``neurosim-flow estimate``), `direct_training`
(``neurosim-flow estimate-training``).
"""
