"""Batched design points: one process estimates a chunk of a sweep's points.

A one-point-per-job sweep pays, per point, the interpreter start, the imports (torch-free, but
numpy, pyarrow, hydra, numba), the Numba cache load and the trace Parquet read.  A chunk job pays
them once: points are grouped by their traces key, each traces file is read once, and every point
runs the same `neurosim_core.estimate.estimate` the ``estimate`` stage runs, sharing with the
chunk's other points their traces' decoding, tile carving and input-row activity
(`neurosim_core.batch.SharedWork`), so a point's figures are identical to its one-point-per-job
result (``tests/pipeline/test_dse.py`` and ``tests/core/test_batch.py`` check it).

Output: one Parquet file per point, ``<chunk dir>/<point id>.parquet`` (one row: the swept values as
strings, the point's stage keys, every `schemas.CHIP_COLUMNS` figure, the estimate's wall time);
the sweep aggregation scans them lazily with polars.

    python -m pipeline.dse.batch NAME INDEX [OVERRIDE ...] --results R --chunk-size N --out DIR
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

import pyarrow as pa

from ..flow import schemas

POINT_META = ("sweep", "point_id", "label", "overrides", "train_key", "infer_key", "traces_key", "estimate_key",
              "estimate_s")


def estimate_row(network, traces, p, shared=None) -> dict:
    """The chip row (report units) of one design point (``shared``: a `neurosim_core.batch.SharedWork`
    the points of a chunk share; the same row)."""
    from neurosim_core.estimate import estimate

    from ..flow.tables import chip_row

    return chip_row(estimate(network, traces, p, shared=shared))


def _point_table(meta: dict, values: dict, chip: dict) -> pa.Table:
    row = {**meta, **{f"p:{k}": _fmt(v) for k, v in values.items()}, **chip}
    return pa.Table.from_pylist([row])


def _fmt(v) -> str:
    from .spec import format_value

    return format_value(v)


def run_chunk(name: str, index: int, overrides: Sequence[str], results_dir: Path, chunk_size: int,
              out_dir: Path, spec=None) -> list[Path]:
    """Estimate chunk ``index`` (of ``chunk_size`` points) of sweep ``name`` (``spec``: its parsed file,
    default ``conf/sweep/<name>.yaml``); returns the files written."""
    from neurosim_core.batch import SharedWork
    from neurosim_core.params import resolve
    from neurosim_core.traces import shared_decoding

    from ..flow.plan import compose, stage_keys
    from ..flow.stages import _network_and_traces
    from .spec import chunks, load_spec

    spec = spec or load_spec(name, overrides=overrides)
    points = spec.points(overrides)
    parts = chunks(len(points), chunk_size)
    if not 0 <= index < len(parts):
        raise ValueError(f"sweep '{name}': chunk {index} does not exist ({len(parts)} chunks of {chunk_size})")
    out_dir.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, tuple] = {}
    written = []
    shared = SharedWork()  # decoding, tile carving and input activity, per traces, shared by the points
    with shared_decoding():
        for i in parts[index]:
            pt = points[i]
            flow = compose(pt.overrides)
            keys = stage_keys(flow)
            if keys["traces"] not in loaded:  # points sharing traces read them once
                path = results_dir / "traces" / keys["traces"] / "traces.parquet"
                loaded[keys["traces"]] = _network_and_traces(path)
            network, traces = loaded[keys["traces"]]
            t0 = time.perf_counter()
            chip = estimate_row(network, traces, resolve(flow.hardware()), shared)
            meta = {"sweep": name, "point_id": pt.id, "label": pt.label,
                    "overrides": json.dumps(list(pt.overrides)), "train_key": keys["train"],
                    "infer_key": keys["infer"], "traces_key": keys["traces"], "estimate_key": keys["estimate"],
                    "estimate_s": time.perf_counter() - t0}
            path = out_dir / f"{pt.id}.parquet"
            schemas.write_table(_point_table(meta, pt.as_dict(), chip), path)
            written.append(path)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.dse.batch", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("index", type=int)
    ap.add_argument("overrides", nargs="*")
    ap.add_argument("--results", required=True)
    ap.add_argument("--chunk-size", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        t0 = time.perf_counter()
        files = run_chunk(args.name, args.index, args.overrides, Path(args.results), args.chunk_size, Path(args.out))
        print(f"chunk {args.index} of sweep '{args.name}': {len(files)} points in {time.perf_counter() - t0:.2f} s")
    except (ValueError, FileNotFoundError, KeyError) as exc:
        print(f"neurosim-flow: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
