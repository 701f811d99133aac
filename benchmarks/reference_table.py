"""The reference runs' results table (DNN+NeuroSim V1.4): reading it and mapping its configurations.

``tests/data/reference_v14{,_extra}/results.csv`` hold one row per layer and a ``chip`` row per
configuration (columns and units of `neurosim_core.results`).  `read_reference_results` reads such
a table and `reference_hardware_config` turns one configuration back into a `HardwareConfig`
(the config columns plus the Param.cpp edits recorded in ``param_edits``).  Used by
``benchmarks/compare_reference.py`` and the fidelity tests; not part of the model package.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Mapping

from neurosim_core.params import HardwareConfig
from neurosim_core.results import (CHIP_METRICS, FLOORPLAN_CHIP_COLUMNS, FLOORPLAN_LAYER_COLUMNS,  # noqa: F401
                                   LAYER_METRICS)

__all__ = ["read_reference_results", "reference_hardware_config", "CHIP_METRICS",
           "LAYER_METRICS", "FLOORPLAN_CHIP_COLUMNS", "FLOORPLAN_LAYER_COLUMNS"]



def read_reference_results(path: str | Path) -> dict[str, dict[str, dict[str, str]]]:
    """results.csv -> {config: {layer ("1".."N" or "chip"): row}}, rows as read (strings)."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["config"], {})[row["layer"]] = row
    return table


def _flag(text: str, column: str, config: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(f"reference config '{config}': column '{column}' = {text!r} is not true/false")


_MEMCELL = {"sram": "sram", "rram": "rram", "fefet": "fefet", "1": "sram", "2": "rram", "3": "fefet"}

# Param.cpp members (as recorded in param_edits) that the config columns do not cover
_PARAM_EDIT_FIELDS = {
    "numColMuxed": ("num_col_muxed", int),
    "speedUpDegree": ("speedup_degree", int),
    "temp": ("temperature_k", int),
    "clkFreq": ("clk_freq_hz", float),
    "currentMode": ("current_mode", lambda s: s.strip().lower() in ("true", "1")),
    "deviceroadmap": ("roadmap", lambda s: {"1": "hp", "2": "lstp"}[s.strip()]),
    "accesstype": ("access", lambda s: {"1": "cmos", "4": "none"}[s.strip()]),
    "synchronous": ("synchronous", lambda s: s.strip().lower() in ("true", "1")),
    "chipActivation": ("chip_activation", lambda s: s.strip().lower() in ("true", "1")),
    "reLu": ("relu", lambda s: s.strip().lower() in ("true", "1")),
    "validated": ("validated", lambda s: s.strip().lower() in ("true", "1")),
    "inputtoggle": ("input_toggle", float),
    "outputtoggle": ("output_toggle", float),
    "maxGlobalBusWidth": ("max_global_bus_width", int),
    "resistanceOn": ("resistance_on_ohm", float),
    "resistanceOff": ("resistance_off_ohm", float),
    "readPulseWidth": ("read_pulse_width_s", float),
}


def reference_hardware_config(chip_row: Mapping[str, str], config: str | None = None) -> HardwareConfig:
    """The `HardwareConfig` a reference run used, from its results.csv ``chip`` row.

    Uses the config columns (memcell, technode_nm, operationmode, subArrayRows, subArrayCols,
    parallelRead_rows, levelOutput, cellBit, novelMapping, pipeline, globalBus, ADC_type,
    weightBits, inputBits), then the Param.cpp edits in
    ``param_edits`` that no column covers.  The explicit parallel-read rows are kept in sequential
    mode too (the reference's argv[5] overrides it there as well).
    """
    name = config or chip_row.get("config", "?")
    adc = chip_row["ADC_type"].strip().upper()
    memcell = _MEMCELL.get(chip_row["memcell"].strip().lower())
    if memcell is None:
        raise ValueError(f"reference config '{name}': unknown memcell {chip_row['memcell']!r}")
    mode = chip_row["operationmode"].strip()
    if mode not in ("conventionalParallel", "conventionalSequential"):
        raise ValueError(f"reference config '{name}': unsupported operationmode {mode!r}")
    bus = chip_row["globalBus"].strip().lower()
    values: dict[str, Any] = dict(
        mem_cell=memcell,
        tech_node_nm=int(chip_row["technode_nm"]),
        operation_mode="conventional_parallel" if mode == "conventionalParallel" else "conventional_sequential",
        num_row_subarray=int(chip_row["subArrayRows"]),
        num_col_subarray=int(chip_row["subArrayCols"]),
        num_row_parallel=int(chip_row["parallelRead_rows"]),
        level_output=int(chip_row["levelOutput"]),
        cell_bit=int(chip_row["cellBit"]),
        novel_mapping=_flag(chip_row["novelMapping"], "novelMapping", name),
        pipeline=_flag(chip_row["pipeline"], "pipeline", name),
        global_bus="htree" if bus in ("htree", "h-tree") else "xy_bus",
        adc_type="sar" if adc.startswith("SAR") else "mlsa",
        current_mode="VSA" not in adc,
    )
    if chip_row.get("weightBits"):
        values["synapse_bits"] = int(chip_row["weightBits"])
    if chip_row.get("inputBits"):
        values["input_bits"] = int(chip_row["inputBits"])
    edits_text = (chip_row.get("param_edits") or "").strip()
    if edits_text:
        edits = json.loads(edits_text)
        for key, text in edits.items():
            if key in _PARAM_EDIT_FIELDS:
                attr, convert = _PARAM_EDIT_FIELDS[key]
                values[attr] = convert(str(text))
    return HardwareConfig(**values)
