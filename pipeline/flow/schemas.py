"""Parquet schemas of every table the pipeline writes — the one place they are documented.

Each schema is checked when the table is read back (`read_table`), so a corrupted or foreign
file fails with one line naming the file and the offending column, before any heavy work.

Tables
------
``traces.parquet`` (stage ``traces``): one row per weight layer, in network order.
    layer_index int32      0-based position in the network
    name        string     layer name (e.g. ``Conv0``, ``FC1``)
    ifm_h, ifm_w, ifm_c, k_h, k_w, c_out, pool, stride  int32
                           the NetWork.csv row of the layer (pool: 1 if followed by max-pool)
    wbits, abits int32     weight / activation precision of the codes
    weight_rows, weight_cols int32     shape of the weight-code matrix (Cin*KH*KW, Cout)
    weight_q    list<int16> row-major weight codes q, w = q / 2**(wbits-1);
                           row r = cin*KH*KW + kh*KW + kw (the reference wrapper's order)
    input_rows, input_cols int32       shape of the activation-code matrix (Cin*KH*KW, windows)
    input_q     list<int16> row-major unrolled activation codes c, x = c / 2**(abits-1)
                           (im2col of image 0, windows row-major; FC layers have one window)

``train_traces.parquet`` (on-chip training, stage ``train_onchip``, one file per traced epoch):
    what the V2.1 training estimator reads per layer, one row per weight layer in network order.
    epoch       int32      0-based epoch whose end the row describes
    layer_index, name, ifm_h .. stride, wbits, abits   as in ``traces.parquet``
    padding     int32      the layer's zero padding (the V2.1 wrapper's unpadded windows are the
                           padded im2col's windows (i+padding, j+padding), i, j < H-K+1)
    weight_rows, weight_cols int32
    weight_q    list<int16> NEW weight codes after the epoch's last update, w = q / 2**(wbits-1)
                           (the V2.1 ``weight<name>.csv`` = Q(w, wbits)), row-major (rows, Cout)
    weight_old  list<float32> the weights BEFORE that last update, continuous (c2c noise kept,
                           not re-quantised; the V2.1 ``weightOld<name>.csv`` = param + grad)
    input_rows, input_cols int32
    input_q     list<int16> activation codes of test image 0 in the layer's real im2col (its own
                           padding and stride, windows row-major; FC: one window), as ``traces.parquet``
    activity    float64    mean input bit (two's complement abits-bit codes, every bit of every
                           window) averaged over the first ``n_images`` test images, this layout
    n_images    int32      K, the images averaged into ``activity`` (1 = the V2.1 wrapper's one image)
    `train_traces_to_table` / `read_train_traces` write and read it.

``train_history.parquet`` / ``train_stats.parquet`` (stage ``train_onchip``): per epoch accuracy,
    loss (`TRAIN_HISTORY_COLUMNS`); the V2.0-style statistics in one tidy table
    (`TRAIN_STATS_COLUMNS`: epoch, layer_index, name, quantity in {input_activity, weight, delta},
    statistic, value).

``training_layers.parquet`` / ``training_chip.parquet`` (``neurosim-flow estimate-training``):
    the V2.1 reference table's columns (per phase FW/AG/WG/WU latency and energy, PEAK
    variants, breakdowns, area, TOPS/W; see `neurosim_core.training.report`), report units.

``floorplan.parquet`` (stage ``floorplan``): one row per layer.
    layer int32 (1-based), num_tiles (tiles holding the layer, count), speedup (weight copies,
    count), utilization (fraction 0..1 of the layer's tiles' cells holding its weights), plus
    chip-wide columns repeated on every row: mem_utilization_pct (% of all cells holding
    weights), cm_tile_size / cm_pe_size (conventional-mapping tile / PE side, in memory cells;
    rows = columns), nm_num_pe (PEs per novel-mapped tile, count; 0 without novel mapping),
    nm_pe_size (novel-mapping PE side, in memory cells; 0 without novel mapping).

``layers.parquet`` / ``chip.parquet`` (stage ``estimate``): see `LAYER_COLUMNS` and
    `CHIP_COLUMNS` below; SI units inside the model, report units here (um^2, ns, pJ, uW),
    the unit in each column name.  The ``buffer_*`` and ``ic_*`` figures are parts of the
    ``other_*`` ones (the estimator counts them there).  ``layers.parquet`` also has
    `LAYER_EXTRA_COLUMNS` (absent from results written before they were added; readers must
    not require them): ``tile_area_um2``, the area of the tiles the layer occupies.

``accuracy.parquet`` (stage ``infer``): one row: accuracy (0..1, hardware-aware), loss,
    digital_accuracy / digital_loss (the same images through the ideal digital model; absent
    from older results), n_images, plus the hardware-aware settings it was measured with.

``sweep.parquet`` (sweep targets): one row per design point: ``point`` (the swept value as a
    string), ``param``, every ``CHIP_COLUMNS`` figure, ``accuracy``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

NET_COLUMNS = ("ifm_h", "ifm_w", "ifm_c", "k_h", "k_w", "c_out", "pool", "stride")

TRACES_SCHEMA = pa.schema(
    [("layer_index", pa.int32()), ("name", pa.string())]
    + [(c, pa.int32()) for c in NET_COLUMNS]
    + [("wbits", pa.int32()), ("abits", pa.int32()),
       ("weight_rows", pa.int32()), ("weight_cols", pa.int32()), ("weight_q", pa.list_(pa.int16())),
       ("input_rows", pa.int32()), ("input_cols", pa.int32()), ("input_q", pa.list_(pa.int16()))]
)

FLOORPLAN_COLUMNS = ("layer", "num_tiles", "speedup", "utilization", "mem_utilization_pct",
                     "cm_tile_size", "cm_pe_size", "nm_num_pe", "nm_pe_size")

LAYER_COLUMNS = (
    "layer", "name", "num_tiles", "speedup", "utilization",
    "read_latency_ns", "read_dynamic_energy_pJ", "leakage_power_uW", "leakage_energy_pJ",
    "buffer_latency_ns", "buffer_read_dynamic_energy_pJ", "ic_latency_ns", "ic_read_dynamic_energy_pJ",
    "adc_read_latency_ns", "accum_read_latency_ns", "other_read_latency_ns",
    "adc_read_dynamic_energy_pJ", "accum_read_dynamic_energy_pJ", "other_read_dynamic_energy_pJ",
)

#: per-layer columns added after the first release (optional when reading)
LAYER_EXTRA_COLUMNS = ("tile_area_um2",)

CHIP_COLUMNS = (
    "chip_area_um2", "area_cim_array_um2", "area_ic_um2", "area_adc_um2", "area_accum_um2", "area_other_um2",
    "clk_period_ns", "read_latency_ns", "read_dynamic_energy_pJ", "leakage_power_uW", "leakage_energy_pJ",
    "buffer_latency_ns", "buffer_read_dynamic_energy_pJ", "ic_latency_ns", "ic_read_dynamic_energy_pJ",
    "adc_read_latency_ns", "accum_read_latency_ns", "other_read_latency_ns",
    "adc_read_dynamic_energy_pJ", "accum_read_dynamic_energy_pJ", "other_read_dynamic_energy_pJ",
    "tops_per_w", "tops", "fps", "tops_per_mm2", "mem_utilization_pct",
)


class SchemaError(ValueError):
    """A table does not match its documented schema (one line: file, column, expectation)."""


def write_table(table: pa.Table, path: Path) -> None:
    """Write atomically: to a temporary name, then rename into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def write_csv(table: pa.Table, path: Path) -> None:
    """Write a CSV copy atomically, like `write_table`."""
    import pyarrow.csv as pacsv

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    pacsv.write_csv(table, tmp)
    tmp.replace(path)


def read_table(path: Path, required: Iterable[str], schema: pa.Schema | None = None) -> pa.Table:
    """Read a Parquet table and check its columns (and types, when a schema is given)."""
    path = Path(path)
    if not path.exists():
        raise SchemaError(f"{path}: file not found")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # corrupted / not Parquet
        raise SchemaError(f"{path}: not a readable Parquet file ({' '.join(str(exc).split())})") from None
    for col in required:
        if col not in table.column_names:
            raise SchemaError(f"{path}: missing column '{col}'; expected columns: {', '.join(required)}")
    if schema is not None:
        for fld in schema:
            got = table.schema.field(fld.name).type
            if not got.equals(fld.type):
                raise SchemaError(f"{path}: column '{fld.name}' has type {got}, expected {fld.type}")
    return table


# --- traces -----------------------------------------------------------------------------------
def traces_to_table(layers: Iterable[Mapping]) -> pa.Table:
    """Build the traces table from dicts with name, net_row (8 ints), weight_q, input_q, wbits, abits."""
    cols: dict[str, list] = {f.name: [] for f in TRACES_SCHEMA}
    for i, layer in enumerate(layers):
        w = np.asarray(layer["weight_q"])
        x = np.asarray(layer["input_q"])
        if w.ndim != 2 or x.ndim != 2 or w.shape[0] != x.shape[0]:
            raise SchemaError(f"layer {layer['name']}: weight {w.shape} and input {x.shape} rows disagree")
        cols["layer_index"].append(i)
        cols["name"].append(str(layer["name"]))
        for c, v in zip(NET_COLUMNS, layer["net_row"]):
            cols[c].append(int(v))
        cols["wbits"].append(int(layer["wbits"]))
        cols["abits"].append(int(layer["abits"]))
        cols["weight_rows"].append(w.shape[0])
        cols["weight_cols"].append(w.shape[1])
        cols["weight_q"].append(w.astype(np.int16).ravel())
        cols["input_rows"].append(x.shape[0])
        cols["input_cols"].append(x.shape[1])
        cols["input_q"].append(x.astype(np.int16).ravel())
    arrays = [pa.array(cols[f.name], type=f.type) for f in TRACES_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=TRACES_SCHEMA)


def table_to_traces(table: pa.Table, path: Path | str = "traces.parquet") -> list[dict]:
    """Inverse of `traces_to_table`, checking shapes and code ranges."""
    out = []
    for row in table.to_pylist():
        name = row["name"]
        w = np.asarray(row["weight_q"], dtype=np.int16)
        x = np.asarray(row["input_q"], dtype=np.int16)
        wr, wc, xr, xc = row["weight_rows"], row["weight_cols"], row["input_rows"], row["input_cols"]
        if w.size != wr * wc:
            raise SchemaError(f"{path}: layer '{name}' column 'weight_q' has {w.size} values, "
                              f"expected weight_rows*weight_cols = {wr * wc}")
        if x.size != xr * xc:
            raise SchemaError(f"{path}: layer '{name}' column 'input_q' has {x.size} values, "
                              f"expected input_rows*input_cols = {xr * xc}")
        if wr != xr:
            raise SchemaError(f"{path}: layer '{name}': weight_rows {wr} != input_rows {xr}")
        wmax, amax = 2 ** (row["wbits"] - 1), 2 ** (row["abits"] - 1)
        if w.size and (w.min() < -wmax or w.max() >= wmax):
            raise SchemaError(f"{path}: layer '{name}' column 'weight_q' outside [-{wmax}, {wmax - 1}]")
        if x.size and (x.min() < -amax or x.max() >= amax):
            raise SchemaError(f"{path}: layer '{name}' column 'input_q' outside [-{amax}, {amax - 1}]")
        out.append({
            "name": name,
            "net_row": tuple(int(row[c]) for c in NET_COLUMNS),
            "wbits": int(row["wbits"]), "abits": int(row["abits"]),
            "weight_q": w.reshape(wr, wc), "input_q": x.reshape(xr, xc),
        })
    return out


def read_traces(path: Path) -> list[dict]:
    table = read_table(path, [f.name for f in TRACES_SCHEMA], TRACES_SCHEMA)
    return table_to_traces(table, path)


# --- on-chip training traces ------------------------------------------------------------------
TRAIN_TRACES_SCHEMA = pa.schema(
    [("epoch", pa.int32()), ("layer_index", pa.int32()), ("name", pa.string())]
    + [(c, pa.int32()) for c in NET_COLUMNS]
    + [("padding", pa.int32()), ("wbits", pa.int32()), ("abits", pa.int32()),
       ("weight_rows", pa.int32()), ("weight_cols", pa.int32()), ("weight_q", pa.list_(pa.int16())),
       ("weight_old", pa.list_(pa.float32())),
       ("input_rows", pa.int32()), ("input_cols", pa.int32()), ("input_q", pa.list_(pa.int16())),
       ("activity", pa.float64()), ("n_images", pa.int32())]
)

TRAIN_HISTORY_COLUMNS = ("epoch", "accuracy", "loss", "train_loss", "train_accuracy", "grad_scale", "steps",
                         "n_test", "epoch_time_s")
TRAIN_STATS_COLUMNS = ("epoch", "layer_index", "name", "quantity", "statistic", "value")


def train_traces_to_table(layers: Iterable[Mapping]) -> pa.Table:
    """Build ``train_traces.parquet`` from dicts with epoch, name, net_row (8 ints), padding,
    weight_q (int codes), weight_old (floats), input_q, activity, n_images, wbits, abits."""
    cols: dict[str, list] = {f.name: [] for f in TRAIN_TRACES_SCHEMA}
    for i, layer in enumerate(layers):
        w = np.asarray(layer["weight_q"])
        wo = np.asarray(layer["weight_old"], dtype=np.float32)
        x = np.asarray(layer["input_q"])
        if w.ndim != 2 or x.ndim != 2 or w.shape[0] != x.shape[0] or wo.shape != w.shape:
            raise SchemaError(f"layer {layer['name']}: weight {w.shape}, weight_old {wo.shape} and input {x.shape} "
                              "disagree")
        cols["epoch"].append(int(layer["epoch"]))
        cols["layer_index"].append(i)
        cols["name"].append(str(layer["name"]))
        for c, v in zip(NET_COLUMNS, layer["net_row"]):
            cols[c].append(int(v))
        for c in ("padding", "wbits", "abits", "n_images"):
            cols[c].append(int(layer[c]))
        cols["weight_rows"].append(w.shape[0])
        cols["weight_cols"].append(w.shape[1])
        cols["weight_q"].append(w.astype(np.int16).ravel())
        cols["weight_old"].append(wo.ravel())
        cols["input_rows"].append(x.shape[0])
        cols["input_cols"].append(x.shape[1])
        cols["input_q"].append(x.astype(np.int16).ravel())
        cols["activity"].append(float(layer["activity"]))
    arrays = [pa.array(cols[f.name], type=f.type) for f in TRAIN_TRACES_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=TRAIN_TRACES_SCHEMA)


def read_train_traces(path: Path) -> list[dict]:
    """Read ``train_traces.parquet`` back (schema, shapes, code ranges checked; one-line errors):
    dicts with epoch, name, net_row, padding, wbits, abits, weight_q (int16 (rows, Cout)),
    weight_new (float64, = weight_q / 2**(wbits-1)), weight_old (float64), input_q, activity, n_images."""
    table = read_table(path, [f.name for f in TRAIN_TRACES_SCHEMA], TRAIN_TRACES_SCHEMA)
    out = []
    for row in table.to_pylist():
        name = row["name"]
        w = np.asarray(row["weight_q"], dtype=np.int16)
        wo = np.asarray(row["weight_old"], dtype=np.float64)
        x = np.asarray(row["input_q"], dtype=np.int16)
        wr, wc, xr, xc = row["weight_rows"], row["weight_cols"], row["input_rows"], row["input_cols"]
        for col, arr, n in (("weight_q", w, wr * wc), ("weight_old", wo, wr * wc), ("input_q", x, xr * xc)):
            if arr.size != n:
                raise SchemaError(f"{path}: layer '{name}' column '{col}' has {arr.size} values, expected {n}")
        if wr != xr:
            raise SchemaError(f"{path}: layer '{name}': weight_rows {wr} != input_rows {xr}")
        wmax, amax = 2 ** (row["wbits"] - 1), 2 ** (row["abits"] - 1)
        if w.size and (w.min() <= -wmax or w.max() >= wmax):
            raise SchemaError(f"{path}: layer '{name}' column 'weight_q' outside [-{wmax - 1}, {wmax - 1}]")
        if wo.size and (not np.all(np.isfinite(wo)) or np.abs(wo).max() > 1.0):
            raise SchemaError(f"{path}: layer '{name}' column 'weight_old' not finite or outside [-1, 1]")
        if x.size and (x.min() < -amax or x.max() >= amax):
            raise SchemaError(f"{path}: layer '{name}' column 'input_q' outside [-{amax}, {amax - 1}]")
        if not 0.0 <= row["activity"] <= 1.0:
            raise SchemaError(f"{path}: layer '{name}' column 'activity' = {row['activity']} outside [0, 1]")
        out.append({
            "epoch": int(row["epoch"]), "name": name,
            "net_row": tuple(int(row[c]) for c in NET_COLUMNS), "padding": int(row["padding"]),
            "wbits": int(row["wbits"]), "abits": int(row["abits"]),
            "weight_q": w.reshape(wr, wc), "weight_new": w.reshape(wr, wc) / float(wmax),
            "weight_old": wo.reshape(wr, wc), "input_q": x.reshape(xr, xc),
            "activity": float(row["activity"]), "n_images": int(row["n_images"]),
        })
    return out
