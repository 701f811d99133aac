"""``neurosim-flow estimate-training``: on-chip training estimate from trace files.

Traces: a directory of compact ``<i>_<name>.npz`` training traces, a ``train_traces.parquet``
(schema in `pipeline.flow.schemas`), or the V2.1 wrapper's CSV layout (``layer_record/weight*.csv``,
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

from .schemas import read_train_traces, write_csv, write_table
from .schemas import train_traces_to_table as _schema_to_table

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


def v21_windows(input_q: np.ndarray, net_row, padding: int) -> np.ndarray:
    """A layer's real im2col windows (own padding) -> V2.1's unpadded windows, row-major.

    The V2.1 wrapper's windows are the padded im2col's windows ``(i+padding, j+padding)`` with
    ``i < H-K+1``, ``j < W-K+1`` (stride 1; FC layers: the one window).
    """
    h, w, _, kh, kw, _, _, stride = net_row
    x = np.asarray(input_q)
    if kh == kw == 1 and h == w == 1:
        return x
    w_out = (w + 2 * padding - kw) // stride + 1
    ii, jj = np.meshgrid(np.arange(h - kh + 1), np.arange(w - kw + 1), indexing="ij")
    cols = ((ii + padding) * w_out + (jj + padding)).ravel()
    if cols.max(initial=-1) >= x.shape[1]:
        raise TraceError(f"input codes have {x.shape[1]} windows; padding {padding} needs window {cols.max()}")
    return x[:, cols]


def train_traces_to_table(traces: list[TrainingTrace], epoch: int = 0) -> pa.Table:
    """`TrainingTrace`s (V2.1 window layout) -> ``train_traces.parquet`` (padding 0, valid windows)."""
    layers = []
    for t in traces:
        if t.net_row is None:
            raise TraceError(f"layer {t.name}: no NetWork.csv row; cannot write train_traces.parquet")
        h, w, _, kh, kw, _, _, _ = t.net_row
        n = (h - kh + 1) * (w - kw + 1)
        layers.append({"epoch": epoch, "name": t.name, "net_row": t.net_row, "padding": 0, "wbits": t.wbits,
                       "abits": t.abits, "weight_q": np.rint(t.weight_new * 2 ** (t.wbits - 1)).astype(np.int16),
                       "weight_old": t.weight_old, "input_q": t.input_q[:, :n], "activity": t.activity,
                       "n_images": 1})
    return _schema_to_table(layers)


def table_to_train_traces(path: Path) -> list[TrainingTrace]:
    """``train_traces.parquet`` -> `TrainingTrace`s in V2.1's window layout."""
    out = []
    for row in read_train_traces(Path(path)):
        out.append(TrainingTrace.from_arrays(
            name=row["name"], weight_new=row["weight_new"], weight_old=row["weight_old"],
            input_q=v21_windows(row["input_q"], row["net_row"], row["padding"]), wbits=row["wbits"],
            abits=row["abits"], activity=row["activity"], net_row=row["net_row"], source=f"{path}: {row['name']}"))
    return out


def load_training_traces(directory: Path, network=None) -> list[TrainingTrace]:
    directory = Path(directory)
    parquet = directory / "train_traces.parquet" if directory.is_dir() else directory
    if parquet.suffix == ".parquet" and parquet.is_file():
        return table_to_train_traces(parquet)
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
