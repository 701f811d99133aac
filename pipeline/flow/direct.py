"""Estimate a network straight from trace files (no Snakemake): the ``neurosim-flow estimate`` command.

Accepted trace directories:
* ``*.npz`` compact traces (``weight_q``, ``input_q`` per layer, sorted by file name);
* ``traces.parquet`` written by the pipeline's ``traces`` stage (schema in `pipeline.flow.schemas`);
* the reference wrapper's CSVs (``weight<name>.csv`` + ``input<name>.csv``), paired in the order
  of ``trace_command.sh`` if present, else by sorted file name.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa

from . import schemas


def load_traces_dir(traces: Path, p):
    from neurosim_core.traces import LayerTrace, load_npz_dir, load_reference_csv

    traces = Path(traces)
    if not traces.is_dir():
        raise FileNotFoundError(f"{traces}: traces directory not found")
    if (traces / "traces.parquet").exists():
        rows = schemas.read_traces(traces / "traces.parquet")
        return [LayerTrace(name=r["name"], weight_q=r["weight_q"], input_q=r["input_q"], wbits=r["wbits"],
                           abits=r["abits"]) for r in rows]
    if sorted(traces.glob("*.npz")):
        return load_npz_dir(traces)
    weights = sorted(traces.glob("weight*.csv"))
    if weights:
        cmd = traces / "trace_command.sh"
        if cmd.exists():
            names = re.findall(r"weight([^/\s]+)\.csv", cmd.read_text())
        else:
            names = [w.stem[len("weight"):] for w in weights]
        out = []
        for name in names:
            w, x = traces / f"weight{name}.csv", traces / f"input{name}.csv"
            if not x.exists():
                raise FileNotFoundError(f"{x}: input trace for layer '{name}' not found")
            out.append(load_reference_csv(w, x, p.synapse_bits, p.input_bits))
        return out
    raise FileNotFoundError(f"{traces}: no traces found (expected *.npz, traces.parquet or weight*/input*.csv)")


def check_precision(traces, p, traces_dir: Path) -> None:
    """Traces that carry their precision must match the hardware config's (no silent mismatch)."""
    for field, attr, what in (("synapse_bits", "wbits", "weight"), ("input_bits", "abits", "activation")):
        found = sorted({int(getattr(t, attr)) for t in traces})
        want = getattr(p, field)
        if found and found != [want]:
            shown = ", ".join(map(str, found))
            raise ValueError(f"--set {field}={want} does not match the {what} precision stored in the traces "
                             f"({shown} bits, {traces_dir}); allowed: {shown} (omit --set {field} to use the "
                             "traces' precision)")


def trace_precision(traces_dir: Path) -> tuple[int, int] | None:
    """(weight bits, activation bits) stored in a trace directory, or None (reference CSVs carry none)."""
    traces_dir = Path(traces_dir)
    if (traces_dir / "traces.parquet").exists():
        rows = schemas.read_traces(traces_dir / "traces.parquet")
        return (int(rows[0]["wbits"]), int(rows[0]["abits"])) if rows else None
    if traces_dir.is_dir() and sorted(traces_dir.glob("*.npz")):
        from neurosim_core.traces import load_npz_dir

        t = load_npz_dir(traces_dir)
        return (int(t[0].wbits), int(t[0].abits)) if t else None
    return None


def estimate_from_files(network_csv: Path, traces_dir: Path | None, p, out_dir: Path | None = None) -> str:
    """``traces_dir`` may be None in the ``average`` activity mode: it reads no trace value, so the
    network table alone decides the figures (shape-only traces, `pipeline.dse.networks.shape_traces`)."""
    from neurosim_core.estimate import estimate
    from neurosim_core.network import read_network_csv

    network = read_network_csv(network_csv)
    if traces_dir is None:
        if p.activity_mode != "average":
            raise ValueError(f"--traces is required in activity_mode={p.activity_mode} (only 'average' runs from "
                             "the network table alone)")
        from ..dse.networks import shape_traces

        traces = shape_traces(network, p.synapse_bits, p.input_bits)
    else:
        traces = load_traces_dir(traces_dir, p)
        check_precision(traces, p, traces_dir)
    if len(traces) != len(network.layers):
        raise ValueError(f"{traces_dir}: {len(traces)} layer traces but {network_csv} has "
                         f"{len(network.layers)} layers")
    from .tables import chip_row, layer_rows, summary

    result = estimate(network, traces, p)
    if out_dir is not None:
        out_dir = Path(out_dir)
        for name, table in (("layers", pa.Table.from_pylist(layer_rows(result))),
                            ("chip", pa.Table.from_pylist([chip_row(result)]))):
            schemas.write_table(table, out_dir / f"{name}.parquet")
            schemas.write_csv(table, out_dir / f"{name}.csv")
    return summary(result)
