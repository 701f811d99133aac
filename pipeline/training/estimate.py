"""One epoch's hardware estimate from its trace set, through the companion training estimator
(`neurosim_core.training.estimate.estimate_training`; reader: `pipeline.flow.direct_training`).

The estimator's FW / AG / WG phases each include their DRAM traffic; the row written here splits
that traffic out (with the estimator's own DRAM model and traffic accounting,
`neurosim_core.training.dram`), so that FW, AG, WG, WU and DRAM are disjoint parts of the epoch's
dynamic total (they add up to it; tested).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..flow.config import FlowConfig
from .plan import training_hardware


def training_config(flow: FlowConfig, iterations: int):
    """The estimator's `TrainingConfig` for this flow: the recipe's batch size, the iterations the
    epoch really ran, and the learning device's conductance states."""
    from neurosim_core.training.config import TrainingConfig

    lv = int(flow.onchip_device.max_level)
    return TrainingConfig(batch_size=int(flow.onchip.batch_size), iterations=int(iterations),
                          max_num_level_ltp=lv, max_num_level_ltd=lv)


def estimate_epoch(flow: FlowConfig, epoch: int, traces_file: Path) -> dict:
    from neurosim_core.network import LayerSpec, Network
    from neurosim_core.training.dram import DramSpec, build_dram, training_traffic_bits
    from neurosim_core.training.estimate import estimate_training

    from ..flow.direct_training import table_to_train_traces

    traces_file = Path(traces_file)
    record = json.loads((traces_file.parent / "record.json").read_text())["record"]
    traces = table_to_train_traces(traces_file)
    network = Network(layers=tuple(LayerSpec(*t.net_row) for t in traces), names=tuple(t.name for t in traces))
    hw = training_hardware(flow)
    tc = training_config(flow, record["steps"])
    res = estimate_training(network, traces, hw, training=tc)

    images = tc.batch_size * tc.iterations
    dram = build_dram(spec=DramSpec(kind=tc.dram))
    split = {p: [0.0, 0.0] for p in ("fw", "ag", "wg")}
    for i, layer in enumerate(network.layers):
        t = training_traffic_bits(ifm_h=layer.ifm_h, ifm_w=layer.ifm_w, ifm_c=layer.ifm_c, k_h=layer.k_h,
                                  k_w=layer.k_w, c_out=layer.c_out, input_bits=hw.input_bits,
                                  grad_bits_per_weight=res.weight_gradient_bits, first_layer=i == 0, compat=tc.compat)
        for p, bits in (("fw", t.fw_bits), ("ag", t.ag_bits), ("wg", t.wg_bits)):
            lat, en = dram.transfer(bits)
            split[p][0] += float(lat) * images
            split[p][1] += float(en) * images
    row: dict = {"epoch": int(epoch)}
    for p in ("fw", "ag", "wg", "wu"):
        tot = res.total(p)
        d_lat, d_en = split.get(p, (0.0, 0.0))
        row[f"latency_{p}_s"] = float(tot.latency - d_lat)
        row[f"energy_{p}_J"] = float(tot.energy - d_en)
    row["latency_dram_s"] = float(sum(v[0] for v in split.values()))
    row["energy_dram_J"] = float(sum(v[1] for v in split.values()))
    row.update({
        "latency_total_s": float(res.latency), "energy_dynamic_J": float(res.energy),
        "energy_leakage_J": float(res.leakage_energy), "energy_total_J": float(res.energy + res.leakage_energy),
        "tops_per_w": float(res.tops_per_w), "tops": float(res.tops), "peak_tops_per_w": float(res.peak_tops_per_w),
        "chip_area_um2": float(res.area * 1e12), "batch_size": tc.batch_size, "iterations": tc.iterations,
        "write_pulses": int(sum(l.write_pulses for l in res.layers)),
        "written_cells": int(sum(l.written_cells for l in res.layers)),
        "mem_cell": hw.mem_cell, "tech_node_nm": int(hw.tech_node_nm), "compat": tc.compat,
        "notes": " | ".join(res.notes),
    })
    return row


__all__ = ["estimate_epoch", "training_config"]
