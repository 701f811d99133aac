"""Training options (V2.1 ``Param.cpp`` training block) and the V2.1 default chip.

`TrainingConfig` holds what on-chip training adds to a `HardwareConfig`: batch and iteration
counts, the weight-update device (levels, pulse, FeFET gate/polarisation), the DRAM, the buffer
overhead allowed for weight gradients, the weight-gradient SRAM unit and the transposed-read (BP)
periphery.  `v21_default_hardware()` is the V2.1 default chip (FeFET, 32 nm, 128x128, 6-bit ADC,
5-bit cells, layer by layer; *not* V1.4's defaults).  Fields of `HardwareConfig` that apply to
training: every one (the forward and transposed reads run on the same chip).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any, Mapping

from ..params import ConfigError, HardwareConfig
from ..quirks import COMPAT_MODES

__all__ = ["TrainingConfig", "v21_default_hardware"]


@dataclass(frozen=True, kw_only=True)
class TrainingConfig:
    batch_size: int = 200
    iterations: int = 250
    dram: str = "hbm2"  # V2.1 dramType 2 (1: gddr5)
    max_num_level_ltp: int = 60
    max_num_level_ltd: int = 60
    write_voltage_v: float = 4.0
    write_pulse_width_s: float = 50e-9
    gate_cap_fefet_f: float = 2.1717e-18
    polarization_uc_cm2: float = 20.0
    buffer_overhead_constraint: int = 1
    parallel_bp: bool = True
    num_row_subarray_wg: int = 128
    num_col_subarray_wg: int = 128
    level_output_ag: int = 64
    num_row_muxed_ag: int = 8
    level_output_wg: int = 16
    num_row_muxed_wg: int = 8
    error_bits: int = 8  # V2.1 numReadPulseBP (hard-coded 8)
    # WG unit sense amp: V2.1's multilevel sense-amp fits (`mlsa_v21`) or the inference sub-array's ADC
    wg_sense_amp: str = "mlsa_v21"
    compat: str = "neurosim_v21"

    def __post_init__(self) -> None:
        def need(ok: bool, name: str, allowed: str) -> None:
            if not ok:
                raise ConfigError(f"training config: field '{name}' = {getattr(self, name)!r} is not allowed; {allowed}")
        for name in ("batch_size", "iterations", "max_num_level_ltp", "max_num_level_ltd", "buffer_overhead_constraint",
                     "num_row_subarray_wg", "num_col_subarray_wg", "num_row_muxed_ag", "num_row_muxed_wg", "error_bits"):
            need(isinstance(getattr(self, name), int) and getattr(self, name) >= 1, name, "allowed: an integer >= 1")
        for name in ("level_output_ag", "level_output_wg"):
            v = getattr(self, name)
            need(isinstance(v, int) and v >= 2 and v & (v - 1) == 0, name, "allowed: a power of two >= 2")
        for name in ("write_voltage_v", "write_pulse_width_s", "polarization_uc_cm2", "gate_cap_fefet_f"):
            need(getattr(self, name) > 0, name, "allowed: a positive number")
        need(self.dram in ("hbm2", "gddr5"), "dram", "allowed: hbm2, gddr5")
        need(self.wg_sense_amp in ("mlsa_v21", "inference"), "wg_sense_amp", "allowed: mlsa_v21, inference")
        need(self.compat in COMPAT_MODES, "compat", f"allowed: {', '.join(COMPAT_MODES)}")

    @property
    def max_num_level(self) -> int:
        return max(self.max_num_level_ltp, self.max_num_level_ltd)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "training config") -> "TrainingConfig":
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise ConfigError(f"{source}: unknown training field '{key}'; allowed fields: {', '.join(sorted(known))}")
        return cls(**dict(values))

    def replace(self, **changes: Any) -> "TrainingConfig":
        return dataclasses.replace(self, **changes)


def v21_default_hardware(**changes: Any) -> HardwareConfig:
    """DNN+NeuroSim V2.1's default chip (Param.cpp at commit 18289cb) as a `HardwareConfig`."""
    base = HardwareConfig(
        mem_cell="fefet", tech_node_nm=32, cell_bit=5, synapse_bits=5, input_bits=8, level_output=64,
        num_row_subarray=128, num_col_subarray=128, num_col_muxed=8, pipeline=False, speedup_degree=1,
        validated=False, synchronous=False, global_bus="htree", novel_mapping=True, resistance_on_ohm=240e3, resistance_off_ohm=24e6,
        read_voltage_v=0.5, read_pulse_width_s=10e-9, access_voltage_v=1.1, write_voltage_v=4.0,
        height_in_feature_size_1t1r=4, width_in_feature_size_1t1r=4, height_in_feature_size_sram=8,
        width_in_feature_size_sram=20, max_global_bus_width=8192)
    return base.replace(**changes) if changes else base
