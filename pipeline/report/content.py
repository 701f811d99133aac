"""What the design-point report says, computed from the stage outputs only.

Everything here is derived from the tables the stages wrote (`pipeline.flow.schemas`): the estimate
(``layers``/``chip``), the floorplan, the traces' network shape, the infer accuracies and the train
history.  Nothing is re-estimated.  Where the estimator does not split a figure, the report says so
instead of inventing a split:

* latency and dynamic energy: the estimator reports ADC / accumulation / other, and separately the
  buffer and interconnect (IC) figures, which it has *already counted inside "other"* (NeuroSim
  V1.4 main.cpp: "Other Peripheries (e.g. decoders, mux, switchmatrix, buffers, IC, pooling and
  activation units)").  The report shows buffer and IC as their own parts and "other" as the rest
  (other - buffer - IC).
* area: the estimator gives CIM array / ADC / accumulation / IC / other; buffer area is inside
  "other" and is not reported separately, so the report labels it "other (incl. buffers)".
"""
from __future__ import annotations

import math
import re
from typing import Mapping, Sequence

#: chip area parts: (chip column, label)
AREA_PARTS = (("area_cim_array_um2", "CIM array"), ("area_adc_um2", "ADC"), ("area_accum_um2", "accumulation"),
              ("area_ic_um2", "interconnect"), ("area_other_um2", "other (incl. buffers)"))
#: the share of the chip area the estimator's area parts leave out
UNASSIGNED = "not in the estimator's parts"
#: latency / energy parts after `split_parts`: (key, label)
LATENCY_ENERGY_PARTS = (("adc", "ADC"), ("accum", "accumulation"), ("buffer", "buffer"), ("ic", "interconnect"),
                        ("rest", "other"))

#: relative tolerance below which a negative "other minus buffer minus IC" is rounding
_TOL = 1e-9


# ---------------------------------------------------------------------------------------------
# layer names and shapes
# ---------------------------------------------------------------------------------------------
_NAME_PATTERNS = (
    (re.compile(r"^L(\d+)B(\d+)a_?$"), lambda m: f"stage {m[1]} block {int(m[2]) + 1} conv a"),
    (re.compile(r"^L(\d+)B(\d+)b_?$"), lambda m: f"stage {m[1]} block {int(m[2]) + 1} conv b"),
    (re.compile(r"^L(\d+)B(\d+)sc_?$"), lambda m: f"stage {m[1]} block {int(m[2]) + 1} shortcut"),
    (re.compile(r"^D(\d+)L(\d+)_(\dx\d)_?$"), lambda m: f"dense {m[1]} layer {int(m[2]) + 1} {m[3]}"),
    (re.compile(r"^T(\d+)_?$"), lambda m: f"transition {m[1]}"),
)


def readable_names(raw_names: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """Names a reader can place: ``conv1``..``convN`` / ``fc1``..``fcN`` in network order for the
    plain ``Conv<i>_`` / ``FC<j>_`` layers, ``stage 2 block 1 shortcut`` for ResNet blocks,
    ``dense 1 layer 3 1x1`` / ``transition 1`` for DenseNet; anything else as recorded (without
    the trailing underscore the reference wrapper appends)."""
    out, counts = [], {"conv": 0, "fc": 0}
    for raw, kind in zip(raw_names, kinds):
        raw = str(raw)
        for pattern, fmt in _NAME_PATTERNS:
            m = pattern.match(raw)
            if m:
                out.append(fmt(m))
                break
        else:
            if re.match(r"^(Conv|FC)\d+_?$", raw):
                counts[kind] += 1
                out.append(f"{kind}{counts[kind]}")
            else:
                out.append(raw.rstrip("_") or f"layer {len(out) + 1}")
    return out


def _known(net_row: Mapping) -> bool:
    return all(net_row.get(c) is not None for c in ("ifm_h", "ifm_w", "ifm_c", "k_h", "k_w", "c_out"))


def layer_kind(net_row: Mapping) -> str:
    """``fc`` for a 1x1 input with a 1x1 kernel (NeuroSim's FC rows), else ``conv``."""
    if not _known(net_row):
        return "conv"
    return "fc" if int(net_row["ifm_h"]) == 1 and int(net_row["ifm_w"]) == 1 and int(net_row["k_h"]) == 1 \
        and int(net_row["k_w"]) == 1 else "conv"


def macs(net_row: Mapping) -> int | None:
    """Multiply-accumulates per image as NeuroSim counts them for TOPS (main.cpp, ``numComputation``
    / 2): H_in * W_in * C_in * K_h * K_w * C_out -- the *input* feature-map size, stride ignored."""
    if not _known(net_row):
        return None
    return (int(net_row["ifm_h"]) * int(net_row["ifm_w"]) * int(net_row["ifm_c"]) * int(net_row["k_h"])
            * int(net_row["k_w"]) * int(net_row["c_out"]))


def shape_text(net_row: Mapping) -> tuple[str, str]:
    """(input ``HxWxC``, operation ``3x3 conv /2 -> 64, pool``) of one NetWork.csv row."""
    if not _known(net_row):
        return "n/a", "n/a"
    inp = f"{net_row['ifm_h']}x{net_row['ifm_w']}x{net_row['ifm_c']}"
    if layer_kind(net_row) == "fc":
        op = f"fc {net_row['ifm_c']} -> {net_row['c_out']}"
    else:
        stride = int(net_row.get("stride", 1) or 1)
        op = f"{net_row['k_h']}x{net_row['k_w']} conv{f' /{stride}' if stride > 1 else ''} -> {net_row['c_out']}"
    if int(net_row.get("pool", 0) or 0):
        op += ", max-pool"
    return inp, op


# ---------------------------------------------------------------------------------------------
# breakdowns and shares
# ---------------------------------------------------------------------------------------------
def split_parts(row: Mapping) -> dict[str, float]:
    """ADC / accumulation / buffer / interconnect / rest-of-other latency (ns) and energy (pJ) of a
    layers/chip row: ``<part>_latency_ns`` and ``<part>_energy_pJ``; plus ``split_ok`` (False when
    the buffer and IC figures exceed "other", i.e. they cannot be a part of it -- latencies of
    parallel tiles/PEs are maxima, so this can happen for latency; the rest is then clipped at 0)."""
    out: dict[str, float] = {}
    ok = True
    for quantity, suffix, unit in (("latency", "latency_ns", "ns"), ("energy", "dynamic_energy_pJ", "pJ")):
        read = "read_" if quantity == "energy" else ""
        buf = float(row[f"buffer_{read}{suffix}"])
        ic = float(row[f"ic_{read}{suffix}"])
        other = float(row[f"other_read_{suffix}"])
        rest = other - buf - ic
        if rest < -_TOL * max(abs(other), 1e-30):
            ok = False
        out[f"adc_{quantity}_{unit}"] = float(row[f"adc_read_{suffix}"])
        out[f"accum_{quantity}_{unit}"] = float(row[f"accum_read_{suffix}"])
        out[f"buffer_{quantity}_{unit}"] = buf
        out[f"ic_{quantity}_{unit}"] = ic
        out[f"rest_{quantity}_{unit}"] = max(rest, 0.0)
    out["split_ok"] = ok
    return out


def _fractions(parts: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    total = sum(max(v, 0.0) for _, v in parts)
    return [(label, (max(v, 0.0) / total) if total > 0 else 0.0) for label, v in parts]


def shares(chip: Mapping, layers: Sequence[Mapping]) -> dict:
    """Shares of the total area, energy and latency, with buffer and interconnect split out.

    Energy: the chip's dynamic energy parts plus the leakage energy (their sum is the energy per
    image TOPS/W is computed from).  Latency: summed over the layers (for a pipelined chip the
    latency per image is the slowest layer, so the shares describe where one image's time goes
    through all layers, not the system cycle).  Returns ``rows`` (one per part: area/energy/latency
    values and fractions), ``plot`` (the input of `figures.shares_plot`), ``notes``.
    """
    notes: list[str] = []
    chip_split = split_parts(chip)
    lat_sum = {key: sum(split_parts(r)[f"{key}_latency_ns"] for r in layers) for key, _ in LATENCY_ENERGY_PARTS}
    if not all(split_parts(r)["split_ok"] for r in layers) or not chip_split["split_ok"]:
        notes.append("in some layers the buffer + interconnect latency exceeds the estimator's 'other' latency "
                     "(parallel tiles' latencies are maxima, not sums); 'other' is shown as 0 there")
    area = [(label, float(chip[key])) for key, label in AREA_PARTS]
    unassigned = float(chip["chip_area_um2"]) - sum(v for _, v in area)
    if unassigned > 1e-9 * float(chip["chip_area_um2"]):
        # the estimator's area parts do not cover its total; NeuroSim V1.4's printed breakdown has the
        # same gap (e.g. 4.7 % for its default SRAM run, 72 % for its 22 nm RRAM run)
        area.append((UNASSIGNED, unassigned))
        notes.append(f"the estimator's area parts add up to {(float(chip['chip_area_um2']) - unassigned) / 1e6:.4g} "
                     f"of {float(chip['chip_area_um2']) / 1e6:.4g} mm^2; the remaining {unassigned / 1e6:.4g} mm^2 "
                     f"({100 * unassigned / float(chip['chip_area_um2']):.1f} %) is inside the chip total but in "
                     "none of its parts (NeuroSim V1.4's printed breakdown has the same gap); it is shown as its "
                     "own share, not spread over the parts")
    energy = [(label, chip_split[f"{key}_energy_pJ"]) for key, label in LATENCY_ENERGY_PARTS]
    energy.append(("leakage", float(chip["leakage_energy_pJ"])))
    latency = [(label, lat_sum[key]) for key, label in LATENCY_ENERGY_PARTS]

    if unassigned < -1e-6 * float(chip["chip_area_um2"]):
        notes.append(f"the estimator's area parts add up to {(float(chip['chip_area_um2']) - unassigned) / 1e6:.4g} "
                     f"mm^2, more than its chip area {float(chip['chip_area_um2']) / 1e6:.4g} mm^2")
    dyn = sum(chip_split[f"{key}_energy_pJ"] for key, _ in LATENCY_ENERGY_PARTS)
    if abs(dyn - float(chip["read_dynamic_energy_pJ"])) > 1e-6 * float(chip["read_dynamic_energy_pJ"]):
        notes.append(f"the estimator's dynamic-energy parts add up to {dyn:.6g} pJ, its total is "
                     f"{float(chip['read_dynamic_energy_pJ']):.6g} pJ")

    labels = [label for _, label in AREA_PARTS[:3]] + ["buffer", "interconnect", "other (incl. buffers)", "other",
                                                          "leakage", UNASSIGNED]
    rows = []
    for label in labels:
        row = {"part": label}
        for name, items in (("area", area), ("energy", energy), ("latency", latency)):
            d = dict(items)
            f = dict(_fractions(items))
            row[name] = d.get(label)
            row[f"{name}_share"] = f.get(label)
        if any(row[k] is not None for k in ("area", "energy", "latency")):
            rows.append(row)
    plot = [{"quantity": "area", "parts": _fractions(area)},
            {"quantity": "energy\n(dynamic + leakage)", "parts": _fractions(energy)},
            {"quantity": "latency\n(sum over layers)", "parts": _fractions(latency)}]
    return {"rows": rows, "plot": plot, "notes": notes}


# ---------------------------------------------------------------------------------------------
# per-layer table
# ---------------------------------------------------------------------------------------------
def tops_per_w(ops: float, energy_pJ: float, zeta: float | None) -> float:
    """TOPS/W as the estimator computes it for the chip: ops / (dynamic + leakage energy), divided
    by the post-layout factor zeta when the design is 'validated'."""
    if energy_pJ <= 0:
        return float("nan")
    value = ops / (energy_pJ * 1e-12) / 1e12
    return value / zeta if zeta else value


def layer_table_rows(layers: Sequence[Mapping], net_rows: Sequence[Mapping], zeta: float | None) -> list[dict]:
    """One row per layer: names, shape, MACs, tiles, area, latency, energy and TOPS/W."""
    kinds = [layer_kind(n) for n in net_rows]
    raw = [str(layer.get("name") or net.get("name") or "") for layer, net in zip(layers, net_rows)]
    names = readable_names(raw, kinds)
    out = []
    for layer, net, name, raw_name in zip(layers, net_rows, names, raw):
        inp, op = shape_text(net)
        n_macs = macs(net)
        energy = float(layer["read_dynamic_energy_pJ"]) + float(layer["leakage_energy_pJ"])
        row = dict(layer)
        row.update(label=name, raw_name=raw_name.rstrip("_") or None, input=inp, op=op, macs=n_macs,
                   ops=None if n_macs is None else 2 * n_macs, total_energy_pJ=energy,
                   tops_per_w=float("nan") if n_macs is None else tops_per_w(2 * n_macs, energy, zeta),
                   **split_parts(layer))
        out.append(row)
    return out


def accuracy_figures(acc: Mapping) -> dict:
    """Hardware-aware and digital accuracy and the drop (percentage points); None when the infer
    stage did not record the digital accuracy (results from before it did)."""
    hw = float(acc["accuracy"])
    dig = acc.get("digital_accuracy")
    dig = None if dig is None or (isinstance(dig, float) and math.isnan(dig)) else float(dig)
    return {"hw": hw, "digital": dig, "drop_points": None if dig is None else 100 * (dig - hw),
            "n_images": acc.get("n_images")}
