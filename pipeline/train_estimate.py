"""``neurosim-flow estimate-training``: on-chip training estimate from trace files.

Traces: a directory of compact ``<i>_<name>.npz`` training traces, a ``train_traces.parquet``
(schema in `pipeline.schemas`), or the V2.1 wrapper's CSV layout (``layer_record/weight*.csv``,
``weightOld*.csv``, ``input*.csv`` + ``argv.txt`` / ``trace_command.sh`` for the activities).
``--set key=value`` takes any `HardwareConfig` or `TrainingConfig` field (default chip: V2.1's).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pyarrow as pa

from neurosim_core.network import read_network_csv
from neurosim_core.params import ConfigError, HardwareConfig
from neurosim_core.training.config import TrainingConfig, v21_default_hardware
from neurosim_core.training.estimate import TrainingResult, estimate_training
from neurosim_core.training.traces import TraceError, TrainingTrace, load_training_csv_dir, load_training_npz_dir

from .schemas import NET_COLUMNS, TRAIN_TRACES_SCHEMA, read_table, write_csv, write_table

__all__ = ["split_settings", "load_training_traces", "train_traces_to_table", "table_to_train_traces",
           "estimate_training_from_files", "summary"]


def split_settings(values: Mapping[str, Any]) -> tuple[HardwareConfig, TrainingConfig]:
    """``--set`` values -> (V2.1 default chip with the hardware fields changed, training config)."""
    hw_fields = set(HardwareConfig.__dataclass_fields__)
    tc_fields = set(TrainingConfig.__dataclass_fields__)
    hw, tc = {}, {}
    for key, value in values.items():
        if key in tc_fields:
            tc[key] = value
        elif key in hw_fields:
            hw[key] = value
        else:
            raise ConfigError(f"--set: unknown field '{key}'; allowed: any HardwareConfig or TrainingConfig field "
                              f"(training: {', '.join(sorted(tc_fields))})")
    if hw.get("mem_cell") == "sram" and "cell_bit" not in hw:
        hw["cell_bit"] = 1
    return v21_default_hardware(**hw), TrainingConfig.from_mapping(tc, source="--set")


def train_traces_to_table(traces: list[TrainingTrace]) -> pa.Table:
    cols: dict[str, list] = {f.name: [] for f in TRAIN_TRACES_SCHEMA}
    for i, t in enumerate(traces):
        if t.net_row is None:
            raise TraceError(f"layer {t.name}: no NetWork.csv row; cannot write train_traces.parquet")
        half = 2 ** (t.wbits - 1)
        cols["layer_index"].append(i)
        cols["name"].append(t.name)
        for c, v in zip(NET_COLUMNS, t.net_row):
            cols[c].append(int(v))
        cols["wbits"].append(t.wbits)
        cols["abits"].append(t.abits)
        cols["weight_rows"].append(t.rows)
        cols["weight_cols"].append(t.c_out)
        cols["weight_q"].append(np.rint(t.weight_new * half).astype(np.int16).ravel())
        cols["input_rows"].append(t.input_q.shape[0])
        cols["input_cols"].append(t.input_q.shape[1])
        cols["input_q"].append(t.input_q.astype(np.int16).ravel())
        cols["weight_old"].append(t.weight_old.ravel())
        cols["activity"].append(float(t.activity))
    return pa.Table.from_arrays([pa.array(cols[f.name], type=f.type) for f in TRAIN_TRACES_SCHEMA],
                                schema=TRAIN_TRACES_SCHEMA)


def table_to_train_traces(table: pa.Table, path: Path | str = "train_traces.parquet") -> list[TrainingTrace]:
    out = []
    for row in table.to_pylist():
        wr, wc = row["weight_rows"], row["weight_cols"]
        w = np.asarray(row["weight_q"], dtype=np.float64)
        old = np.asarray(row["weight_old"], dtype=np.float64)
        x = np.asarray(row["input_q"], dtype=np.int16)
        if w.size != wr * wc or old.size != wr * wc or x.size != row["input_rows"] * row["input_cols"]:
            raise TraceError(f"{path}: layer {row['name']}: array sizes disagree with the stored shapes")
        out.append(TrainingTrace.from_arrays(
            name=row["name"], weight_new=w.reshape(wr, wc) / 2 ** (row["wbits"] - 1), weight_old=old.reshape(wr, wc),
            input_q=x.reshape(row["input_rows"], row["input_cols"]), wbits=row["wbits"], abits=row["abits"],
            activity=row["activity"], net_row=[row[c] for c in NET_COLUMNS], source=f"{path}: layer {row['name']}"))
    return out


def load_training_traces(directory: Path, network=None) -> list[TrainingTrace]:
    directory = Path(directory)
    parquet = directory / "train_traces.parquet" if directory.is_dir() else directory
    if parquet.suffix == ".parquet" and parquet.is_file():
        names = [f.name for f in TRAIN_TRACES_SCHEMA]
        return table_to_train_traces(read_table(parquet, names, TRAIN_TRACES_SCHEMA), parquet)
    if directory.is_dir() and any(p.suffix == ".npz" for p in directory.iterdir()):
        return load_training_npz_dir(directory)
    rows = [layer.as_row() for layer in network.layers] if network is not None else None
    return load_training_csv_dir(directory, net_rows=rows)


def summary(result: TrainingResult) -> str:
    lines = [f"{'layer':8s}{'FW s':>11s}{'AG s':>11s}{'WG s':>11s}{'WU s':>11s}"
             f"{'FW J':>11s}{'AG J':>11s}{'WG J':>11s}{'WU J':>11s}"]
    for l in result.layers:
        lines.append(f"{l.name[:8]:8s}" + "".join(f"{v:11.4g}" for v in (
            l.fw.latency, l.ag.latency, l.wg.latency, l.wu.latency, l.fw.energy, l.ag.energy, l.wg.energy,
            l.wu.energy)))
    lines.append(f"chip: area {result.area * 1e6:.4g} mm^2, epoch {result.latency:.4g} s, "
                 f"{result.energy:.4g} J (+ leakage {result.leakage_energy:.4g} J), TOPS/W {result.tops_per_w:.4g}, "
                 f"TOPS {result.tops:.4g}, peak TOPS/W {result.peak_tops_per_w:.4g}")
    lines.extend(f"note: {n}" for n in result.notes)
    return "\n".join(lines)


def estimate_training_from_files(network_csv: Path, traces_dir: Path, values: Mapping[str, Any],
                                 out: Path | None = None) -> str:
    hw, tc = split_settings(values)
    network = read_network_csv(network_csv)
    traces = load_training_traces(traces_dir, network)
    result = estimate_training(network, traces, hw, training=tc)
    if out is not None:
        rows = result.to_rows()
        layers = pa.Table.from_pylist(rows[:-1])
        chip = pa.Table.from_pylist(rows[-1:])
        for name, table in (("training_layers", layers), ("training_chip", chip)):
            write_table(table, Path(out) / f"{name}.parquet")
            write_csv(table, Path(out) / f"{name}.csv")
    return summary(result)
