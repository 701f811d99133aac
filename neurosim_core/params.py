"""Hardware configuration: the user-facing options and the fully resolved parameter set.

`HardwareConfig` holds every option a NeuroSim V1.4 user sets in ``Param.cpp`` (and on the
``main`` command line), with V1.4's defaults, in SI units.  `resolve()` validates it and
derives the technology-dependent values (wire resistivity, SRAM cell geometry, read voltage,
sizing factors, ...) into an immutable `Params` object that every circuit model reads.
There is no global mutable parameter object: each model gets the `Params` it needs.

Model references: DNN+NeuroSim V1.4 user manual, section "Param.cpp"; wire resistivity vs.
width from the ITRS/IRDS interconnect tables (as tabulated in NeuroSim's Param.cpp).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, fields
from typing import Any, Mapping, NamedTuple

from . import quirks
from .quirks import COMPAT_MODES, DEFAULT_COMPAT

__all__ = [
    "ConfigError",
    "HardwareConfig",
    "Params",
    "resolve",
    "SUPPORTED_NODES_NM",
    "IR_DROP_TOLERANCE",
]

SUPPORTED_NODES_NM = (130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1)
IR_DROP_TOLERANCE = 0.25

#: allowed values of each enumerated option
CHOICES: dict[str, tuple[Any, ...]] = {
    "operation_mode": ("conventional_parallel", "conventional_sequential"),
    "mem_cell": ("sram", "rram", "fefet"),
    "access": ("cmos", "none"),
    "transistor": ("conventional",),
    "roadmap": ("hp", "lstp"),
    "global_bus": ("xy_bus", "htree"),
    "global_buffer": ("register_file", "sram"),
    "tile_buffer": ("register_file", "sram"),
    "pe_buffer": ("register_file", "sram"),
    "adc_type": ("mlsa", "sar"),
    "activity_mode": ("real", "pseudo", "average"),
    "tech_node_nm": SUPPORTED_NODES_NM,
    "temperature_k": tuple(range(300, 401)),
    "compat": COMPAT_MODES,
}


class ConfigError(ValueError):
    """A configuration value is not allowed.  The message is one line naming the field."""


@dataclass(frozen=True)
class HardwareConfig:
    """Every user option of the hardware model (NeuroSim V1.4 ``Param.cpp`` + argv), SI units."""

    # --- operation and device -------------------------------------------------------------
    operation_mode: str = "conventional_parallel"  # Param.cpp operationmode 2 (1: sequential)
    mem_cell: str = "sram"  # memcelltype 1/2/3
    access: str = "cmos"  # accesstype 1 (1T1R) / 4 (crossbar, no access device)
    transistor: str = "conventional"  # transistortype 1
    roadmap: str = "lstp"  # deviceroadmap 2 (1: HP)
    tech_node_nm: int = 22
    temperature_k: int = 300
    clk_freq_hz: float = 1e9
    synchronous: bool = True

    # --- precision (main argv) -------------------------------------------------------------
    synapse_bits: int = 8  # argv[2]
    input_bits: int = 8  # argv[3]

    # --- subarray / ADC --------------------------------------------------------------------
    num_row_subarray: int = 128  # argv[4]
    num_col_subarray: int = 128
    num_row_parallel: int | None = None  # argv[5]; None -> num_row_subarray (parallel) / 1 (seq.)
    num_col_muxed: int = 8
    level_output: int = 32  # ADC levels, 2**adc_bits
    cell_bit: int = 1  # forced to 1 for SRAM
    adc_type: str = "mlsa"  # SARADC=false -> multilevel sense amp; "sar"
    current_mode: bool = True  # MLSA with current-sense amp (False: voltage sense amp)
    relax_array_cell_height: bool = False
    relax_array_cell_width: bool = False

    # --- chip organisation -----------------------------------------------------------------
    global_bus: str = "xy_bus"  # globalBusType false -> X-Y bus; "htree"
    global_buffer: str = "register_file"
    global_buffer_core_rows: int = 128
    global_buffer_core_cols: int = 128
    tile_buffer: str = "register_file"
    tile_buffer_core_rows: int = 32
    tile_buffer_core_cols: int = 32
    pe_buffer: str = "register_file"
    chip_activation: bool = True
    relu: bool = True  # False: sigmoid
    novel_mapping: bool = True
    pipeline: bool = True
    speedup_degree: int = 8
    validated: bool = True  # apply the silicon calibration factors alpha..zeta
    global_bus_delay_tolerance: float = 0.1
    local_bus_delay_tolerance: float = 0.1
    tree_folded_ratio: int = 4
    max_global_bus_width: int = 2048
    input_toggle: float = 0.18
    output_toggle: float = 0.5
    sync_data_transfer: bool = False
    algo_weight_max: float = 1.0
    algo_weight_min: float = -1.0

    # --- memory cell ----------------------------------------------------------------------
    resistance_on_ohm: float = 100e3
    resistance_off_ohm: float = 100e3 * 17
    read_voltage_v: float | None = None  # None -> per-node default
    read_pulse_width_s: float = 10e-9
    access_voltage_v: float = 1.1
    write_voltage_v: float = 2.0
    min_sense_voltage_v: float = 0.1
    height_in_feature_size_1t1r: float = 4.0
    width_in_feature_size_1t1r: float = 12.0
    height_in_feature_size_crossbar: float = 2.0
    width_in_feature_size_crossbar: float = 2.0
    # SRAM cell geometry; None -> per-node default (10F x 28F at planar nodes)
    height_in_feature_size_sram: float | None = None
    width_in_feature_size_sram: float | None = None

    # --- trace use (DNN+NeuroSim, IEDM'19 Fig. 7) ------------------------------------------
    # real: every input bit-vector's active rows and column conductances from the traces;
    # pseudo: one row activity and one mean cell level per layer, measured from its traces;
    # average: the user-given average_row_activity / average_cell_level for every layer
    activity_mode: str = "real"
    average_row_activity: float = 0.5  # fraction of a subarray's rows one input bit-vector activates
    average_cell_level: float = 0.5  # mean cell conductance level, 0 (G_min) .. 1 (G_max)

    # --- technology-dependent circuit sizing; None -> per-node default ----------------------
    sizing_factor_mux: float | None = None
    sizing_factor_wl_decoder: float = 1.0
    new_switch_matrix_size_ratio: float | None = None
    switch_matrix_size_ratio: float | None = None

    # --- reference compatibility (neurosim_core.quirks) -------------------------------------
    # neurosim_v14: reproduce the reference's defects for its exact numbers; corrected: consistent model
    compat: str = DEFAULT_COMPAT

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "config") -> "HardwareConfig":
        """Build from a plain mapping; unknown keys are an error naming the key."""
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise ConfigError(
                    f"{source}: unknown hardware field '{key}'; allowed fields: {', '.join(sorted(known))}"
                )
        return cls(**dict(values))

    def replace(self, **changes: Any) -> "HardwareConfig":
        return dataclasses.replace(self, **changes)


# --- per-node tables (NeuroSim V1.4 Param.cpp) ---------------------------------------------
class WireDims(NamedTuple):
    """Interconnect of a node: wire, Metal0 and Metal1 widths (nm) and Cu barrier thickness (m)."""

    wire_nm: float
    metal0_nm: float
    metal1_nm: float
    barrier_m: float


class SramCellF(NamedTuple):
    """SRAM cell footprint in F."""

    height_f: float
    width_f: float


class PeripherySizing(NamedTuple):
    """Per-node periphery sizing (NeuroSim sizingfactor_MUX, newswitchmatrixsizeratio,
    switchmatrixsizeratio, buffernumber, buffersizeratio)."""

    mux_sizing_factor: float
    new_switch_matrix_size_ratio: float
    switch_matrix_size_ratio: float
    buffer_number: int
    buffer_size_ratio: float


class ResistivityRow(NamedTuple):
    """Cu wire of width >= ``min_width_nm``: aspect ratio and bulk resistivity (ohm*m, ITRS)."""

    min_width_nm: float
    aspect_ratio: float
    bulk_rho_ohm_m: float


_WIRES = {
    130: WireDims(wire_nm=175, metal0_nm=175, metal1_nm=175, barrier_m=1e-08),
    90: WireDims(wire_nm=110, metal0_nm=110, metal1_nm=110, barrier_m=1e-08),
    65: WireDims(wire_nm=105, metal0_nm=105, metal1_nm=105, barrier_m=7e-09),
    45: WireDims(wire_nm=80, metal0_nm=80, metal1_nm=80, barrier_m=5e-09),
    32: WireDims(wire_nm=56, metal0_nm=56, metal1_nm=56, barrier_m=4e-09),
    22: WireDims(wire_nm=40, metal0_nm=40, metal1_nm=40, barrier_m=2.5e-09),
    14: WireDims(wire_nm=32, metal0_nm=32, metal1_nm=39, barrier_m=2.5e-09),
    10: WireDims(wire_nm=22, metal0_nm=22, metal1_nm=32, barrier_m=2e-09),
    7: WireDims(wire_nm=20, metal0_nm=20, metal1_nm=28.5, barrier_m=2e-09),
    5: WireDims(wire_nm=15, metal0_nm=15, metal1_nm=17, barrier_m=2e-09),
    3: WireDims(wire_nm=12, metal0_nm=12, metal1_nm=16, barrier_m=1.5e-09),
    2: WireDims(wire_nm=10, metal0_nm=10, metal1_nm=11.5, barrier_m=5e-10),
    1: WireDims(wire_nm=8, metal0_nm=8, metal1_nm=10, barrier_m=2e-10),
}
_READ_VOLTAGE = {130: 0.58, 90: 0.58, 65: 0.55, 45: 0.51, 32: 0.51, 22: 0.55, 14: 0.277,
                 10: 0.28, 7: 0.264, 5: 0.253, 3: 0.248, 2: 0.28, 1: 0.272}
# SRAM cell for FinFET/GAA nodes; planar nodes use _SRAM_CELL_PLANAR
_SRAM_CELL = {
    14: SramCellF(height_f=10.6, width_f=30.8),
    10: SramCellF(height_f=12.8, width_f=31.25),
    7: SramCellF(height_f=16.0, width_f=34.43),
    5: SramCellF(height_f=19.2, width_f=43.75),
    3: SramCellF(height_f=30.0, width_f=68.26),
    2: SramCellF(height_f=42.0, width_f=120.0),
    1: SramCellF(height_f=80.0, width_f=144.0),
}
_SRAM_CELL_PLANAR = SramCellF(height_f=10.0, width_f=28.0)
_SIZING = {
    22: PeripherySizing(mux_sizing_factor=110, new_switch_matrix_size_ratio=14, switch_matrix_size_ratio=0.2,
                        buffer_number=0, buffer_size_ratio=0),
    14: PeripherySizing(mux_sizing_factor=130, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.2,
                        buffer_number=0, buffer_size_ratio=0),
    10: PeripherySizing(mux_sizing_factor=80, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.2,
                        buffer_number=0, buffer_size_ratio=0),
    7: PeripherySizing(mux_sizing_factor=60, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.2,
                        buffer_number=0, buffer_size_ratio=0),
    5: PeripherySizing(mux_sizing_factor=50, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.06,
                        buffer_number=0, buffer_size_ratio=0),
    3: PeripherySizing(mux_sizing_factor=25, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.03,
                        buffer_number=0, buffer_size_ratio=0),
    2: PeripherySizing(mux_sizing_factor=25, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.1,
                        buffer_number=3, buffer_size_ratio=3),
    1: PeripherySizing(mux_sizing_factor=30, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.1,
                        buffer_number=3, buffer_size_ratio=3),
}
_SIZING_DEFAULT = PeripherySizing(mux_sizing_factor=1, new_switch_matrix_size_ratio=6, switch_matrix_size_ratio=0.1,
                                  buffer_number=0, buffer_size_ratio=0)
_RESISTIVITY = (
    ResistivityRow(min_width_nm=175, aspect_ratio=1.6, bulk_rho_ohm_m=2.01e-08),
    ResistivityRow(min_width_nm=110, aspect_ratio=1.6, bulk_rho_ohm_m=2.2e-08),
    ResistivityRow(min_width_nm=105, aspect_ratio=1.7, bulk_rho_ohm_m=2.21e-08),
    ResistivityRow(min_width_nm=80, aspect_ratio=1.7, bulk_rho_ohm_m=2.37e-08),
    ResistivityRow(min_width_nm=56, aspect_ratio=1.8, bulk_rho_ohm_m=2.63e-08),
    ResistivityRow(min_width_nm=40, aspect_ratio=1.9, bulk_rho_ohm_m=2.97e-08),
    ResistivityRow(min_width_nm=32, aspect_ratio=2.0, bulk_rho_ohm_m=3.25e-08),
    ResistivityRow(min_width_nm=22, aspect_ratio=2.0, bulk_rho_ohm_m=3.95e-08),
    ResistivityRow(min_width_nm=20, aspect_ratio=2.0, bulk_rho_ohm_m=4.17e-08),
    ResistivityRow(min_width_nm=15, aspect_ratio=2.0, bulk_rho_ohm_m=4.98e-08),
    ResistivityRow(min_width_nm=12, aspect_ratio=2.0, bulk_rho_ohm_m=5.8e-08),
    ResistivityRow(min_width_nm=10, aspect_ratio=2.0, bulk_rho_ohm_m=6.61e-08),
    ResistivityRow(min_width_nm=8, aspect_ratio=3.0, bulk_rho_ohm_m=7.87e-08),
)


def wire_resistivity(width_nm: float, barrier_m: float) -> tuple[float, float]:
    """(aspect ratio, effective resistivity in ohm*m) of a Cu wire of the given width.

    The bulk value grows with size effects (ITRS table) and the barrier layer reduces the
    conducting cross-section: rho_eff = rho / (1 - (2*AR*w + w)*t_barrier / (AR*w^2)).
    """
    for lower, ar, rho in _RESISTIVITY:
        if width_nm >= lower:
            break
    else:
        raise ConfigError(f"wire width {width_nm} nm is out of range (>= 8 nm)")
    w = float(width_nm)
    rho_eff = rho / (1.0 - ((2 * ar * w + w) * barrier_m / (ar * w * w)))
    return ar, rho_eff


@dataclass(frozen=True)
class Params:
    """Resolved, validated parameters (the derived part of Param.cpp).  SI units throughout.

    Names follow the NeuroSim Param.cpp members in snake_case so a reader of the manual can
    find each one; see ``HardwareConfig`` for the user-level meaning.
    """

    cfg: HardwareConfig
    compat: str  # neurosim_core.quirks mode: which reference defects are reproduced
    # operation
    conventional_parallel: bool
    conventional_sequential: bool
    parallel_read: bool
    num_row_per_synapse: int
    num_col_per_synapse: int
    num_row_parallel: int
    num_col_muxed: int
    cell_bit: int
    level_output: int
    dumcolshared: int
    # technology-dependent
    technode: int
    feature_size: float  # m (= wire width)
    wire_width_nm: float
    metal0_nm: float
    metal1_nm: float
    barrier_thickness: float
    ar: float
    rho: float  # ohm*m, temperature corrected
    ar_metal0: float
    rho_metal0: float
    ar_metal1: float
    rho_metal1: float
    metal0_unit_wire_res: float  # ohm/m
    metal1_unit_wire_res: float  # ohm/m
    unit_length_wire_resistance: float  # ohm/m
    wire_length_row: float  # m, one cell pitch along a row wire
    wire_length_col: float  # m
    wire_resistance_row: float  # ohm per cell
    wire_resistance_col: float  # ohm per cell
    read_voltage: float
    sizing_factor_mux: float
    sizing_factor_wl_decoder: float
    new_switch_matrix_size_ratio: float
    switch_matrix_size_ratio: float
    buffer_number: int
    buffer_size_ratio: float
    # cells
    height_in_feature_size_sram: float
    width_in_feature_size_sram: float
    width_sram_cell_nmos: float
    width_sram_cell_pmos: float
    width_access_cmos: float
    resistance_access: float
    max_conductance: float
    min_conductance: float
    # calibration (validated=True)
    alpha: float
    beta: float
    gamma: float
    delta: float
    epsilon: float
    zeta: float
    # user options, as given (HardwareConfig); the derived values above take precedence
    operation_mode: str
    mem_cell: str
    access: str
    transistor: str
    roadmap: str
    tech_node_nm: int
    temperature_k: int
    clk_freq_hz: float
    synchronous: bool
    synapse_bits: int
    input_bits: int
    num_row_subarray: int
    num_col_subarray: int
    adc_type: str
    current_mode: bool
    relax_array_cell_height: bool
    relax_array_cell_width: bool
    global_bus: str
    global_buffer: str
    global_buffer_core_rows: int
    global_buffer_core_cols: int
    tile_buffer: str
    tile_buffer_core_rows: int
    tile_buffer_core_cols: int
    pe_buffer: str
    chip_activation: bool
    relu: bool
    novel_mapping: bool
    pipeline: bool
    speedup_degree: int
    validated: bool
    global_bus_delay_tolerance: float
    local_bus_delay_tolerance: float
    tree_folded_ratio: int
    max_global_bus_width: int
    input_toggle: float
    output_toggle: float
    sync_data_transfer: bool
    algo_weight_max: float
    algo_weight_min: float
    resistance_on_ohm: float
    resistance_off_ohm: float
    read_voltage_v: float | None
    read_pulse_width_s: float
    access_voltage_v: float
    write_voltage_v: float
    min_sense_voltage_v: float
    height_in_feature_size_1t1r: float
    width_in_feature_size_1t1r: float
    height_in_feature_size_crossbar: float
    width_in_feature_size_crossbar: float
    activity_mode: str
    average_row_activity: float
    average_cell_level: float

    @property
    def is_sram(self) -> bool:
        return self.cfg.mem_cell == "sram"

    @property
    def is_envm(self) -> bool:
        return self.cfg.mem_cell in ("rram", "fefet")

    @property
    def synapses_per_mux(self) -> int:
        """Synapses (groups of ``num_col_per_synapse`` columns) one ADC reads in turn: the shift-add
        and partial-sum counts.  V1.4 writes ceil(numColMuxed/numCellPerSynapse) over integers,
        which truncates (quirk ``integer_synapses_per_mux``)."""
        if quirks.applies("integer_synapses_per_mux", self.compat):
            return self.num_col_muxed // self.num_col_per_synapse
        return -(-self.num_col_muxed // self.num_col_per_synapse)


def _check_choice(name: str, value: Any, source: str) -> None:
    allowed = CHOICES[name]
    if value not in allowed:
        if name == "temperature_k":
            shown = "integers 300..400"
        else:
            shown = ", ".join(str(a) for a in allowed)
        raise ConfigError(f"{source}: field '{name}' = {value!r} is not allowed; allowed: {shown}")


def _check_positive_int(name: str, value: Any, source: str, *, power_of_two: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{source}: field '{name}' = {value!r} must be a positive integer")
    if power_of_two and value & (value - 1):
        raise ConfigError(f"{source}: field '{name}' = {value!r} must be a power of two (2, 4, ..., 256)")


def validate(cfg: HardwareConfig, source: str = "config") -> None:
    """Raise `ConfigError` (one line, naming the field and the allowed values) on a bad value."""
    for name in CHOICES:
        _check_choice(name, getattr(cfg, name), source)
    for name in ("synapse_bits", "input_bits", "num_row_subarray", "num_col_subarray",
                 "num_col_muxed", "speedup_degree", "tree_folded_ratio", "max_global_bus_width",
                 "global_buffer_core_rows", "global_buffer_core_cols", "tile_buffer_core_rows",
                 "tile_buffer_core_cols"):
        _check_positive_int(name, getattr(cfg, name), source)
    _check_positive_int("level_output", cfg.level_output, source, power_of_two=True)
    if cfg.level_output < 2:
        raise ConfigError(f"{source}: field 'level_output' = {cfg.level_output} must be >= 2")
    if isinstance(cfg.cell_bit, bool) or cfg.cell_bit not in range(1, 9):
        raise ConfigError(f"{source}: field 'cell_bit' = {cfg.cell_bit!r} is not allowed; allowed: integers 1..8")
    if cfg.num_row_parallel is not None:
        _check_positive_int("num_row_parallel", cfg.num_row_parallel, source)
        if cfg.num_row_parallel > cfg.num_row_subarray:
            raise ConfigError(
                f"{source}: field 'num_row_parallel' = {cfg.num_row_parallel} must be <= num_row_subarray "
                f"({cfg.num_row_subarray})"
            )
    for name in ("clk_freq_hz", "resistance_on_ohm", "resistance_off_ohm", "read_pulse_width_s",
                 "access_voltage_v", "write_voltage_v", "min_sense_voltage_v"):
        v = getattr(cfg, name)
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            raise ConfigError(f"{source}: field '{name}' = {v!r} must be a positive finite number")
    if cfg.resistance_off_ohm <= cfg.resistance_on_ohm:
        raise ConfigError(
            f"{source}: field 'resistance_off_ohm' = {cfg.resistance_off_ohm} must exceed resistance_on_ohm "
            f"({cfg.resistance_on_ohm})"
        )
    for name in ("input_toggle", "output_toggle", "average_row_activity", "average_cell_level"):
        v = getattr(cfg, name)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0.0 <= v <= 1.0):
            raise ConfigError(f"{source}: field '{name}' = {v!r} must be a number within [0, 1]")
    node = cfg.tech_node_nm
    if cfg.mem_cell == "rram" and node <= 14:
        raise ConfigError(f"{source}: field 'mem_cell' = 'rram' is not supported at tech_node_nm={node}; "
                          "RRAM needs tech_node_nm >= 22")
    if cfg.roadmap == "hp" and node <= 14:
        raise ConfigError(f"{source}: field 'roadmap' = 'hp' is not supported at tech_node_nm={node}; "
                          "allowed at 14 nm and below: lstp")
    if cfg.temperature_k != 300 and node <= 14:
        raise ConfigError(f"{source}: field 'temperature_k' = {cfg.temperature_k} is not supported at "
                          f"tech_node_nm={node}; allowed: 300")
    if cfg.mem_cell != "sram" and cfg.cell_bit > cfg.synapse_bits:
        raise ConfigError(f"{source}: field 'cell_bit' = {cfg.cell_bit} exceeds synapse_bits ({cfg.synapse_bits})")
    if cfg.sync_data_transfer and not (cfg.global_bus == "htree" and cfg.chip_activation and cfg.novel_mapping
                                       and cfg.pipeline and cfg.synchronous
                                       and cfg.global_buffer == "register_file"):
        raise ConfigError(f"{source}: field 'sync_data_transfer' = true needs global_bus=htree, chip_activation, "
                          "novel_mapping, pipeline, synchronous and global_buffer=register_file")


def _params(**derived: Any) -> Params:
    """Params from the derived values plus every user option they do not override, as given."""
    cfg = derived["cfg"]
    given = {f.name: getattr(cfg, f.name) for f in fields(HardwareConfig) if f.name not in derived}
    return Params(**given, **derived)


def resolve(cfg: HardwareConfig, source: str = "config") -> Params:
    """Validate ``cfg`` and derive every technology-dependent parameter."""
    validate(cfg, source)
    node = cfg.tech_node_nm
    sram = cfg.mem_cell == "sram"
    cell_bit = 1 if sram else cfg.cell_bit
    parallel = cfg.operation_mode == "conventional_parallel"
    sequential = not parallel
    num_col_per_synapse = math.ceil(cfg.synapse_bits / cell_bit)
    num_row_parallel = cfg.num_row_parallel if cfg.num_row_parallel is not None else (
        cfg.num_row_subarray if parallel else 1)
    num_col_muxed = num_col_per_synapse if (sequential and sram) else cfg.num_col_muxed

    wire_nm, m0_nm, m1_nm, barrier = _WIRES[node]
    ar, rho = wire_resistivity(wire_nm, barrier)
    ar0, rho0 = wire_resistivity(m0_nm, barrier)
    ar1, rho1 = wire_resistivity(m1_nm, barrier)
    metal0_res = rho0 / (m0_nm * 1e-9 * m0_nm * 1e-9 * ar0)
    metal1_res = rho1 / (m1_nm * 1e-9 * m1_nm * 1e-9 * ar1)
    rho *= 1 + 0.00451 * abs(cfg.temperature_k - 300)
    unit_res = rho / (wire_nm * 1e-9 * wire_nm * 1e-9 * ar)

    h_sram_default, w_sram_default = _SRAM_CELL.get(node, _SRAM_CELL_PLANAR)
    h_sram = cfg.height_in_feature_size_sram if cfg.height_in_feature_size_sram is not None else h_sram_default
    w_sram = cfg.width_in_feature_size_sram if cfg.width_in_feature_size_sram is not None else w_sram_default
    if sram:
        len_row, len_col = wire_nm * 1e-9 * h_sram, wire_nm * 1e-9 * w_sram
    elif cfg.access == "cmos":
        len_row = wire_nm * 1e-9 * cfg.height_in_feature_size_1t1r
        len_col = wire_nm * 1e-9 * cfg.width_in_feature_size_1t1r
    else:
        len_row = wire_nm * 1e-9 * cfg.height_in_feature_size_crossbar
        len_col = wire_nm * 1e-9 * cfg.width_in_feature_size_crossbar

    mux_f, nsm, sm, buf_n, buf_r = _SIZING.get(node, _SIZING_DEFAULT)
    if cfg.validated:
        cal = dict(alpha=1.44, beta=1.4, gamma=0.5, delta=0.15, epsilon=0.05, zeta=1.22)
    else:
        cal = dict(alpha=1.0, beta=1.0, gamma=1.0, delta=1.0, epsilon=1.0, zeta=1.0)

    return _params(
        cfg=cfg,
        compat=cfg.compat,
        conventional_parallel=parallel,
        conventional_sequential=sequential,
        parallel_read=parallel,
        num_row_per_synapse=1,
        num_col_per_synapse=num_col_per_synapse,
        num_row_parallel=num_row_parallel,
        num_col_muxed=num_col_muxed,
        cell_bit=cell_bit,
        level_output=cfg.level_output,
        dumcolshared=cfg.level_output,
        technode=node,
        feature_size=wire_nm * 1e-9,
        wire_width_nm=float(wire_nm),
        metal0_nm=float(m0_nm),
        metal1_nm=float(m1_nm),
        barrier_thickness=barrier,
        ar=ar,
        rho=rho,
        ar_metal0=ar0,
        rho_metal0=rho0,
        ar_metal1=ar1,
        rho_metal1=rho1,
        metal0_unit_wire_res=metal0_res,
        metal1_unit_wire_res=metal1_res,
        unit_length_wire_resistance=unit_res,
        wire_length_row=len_row,
        wire_length_col=len_col,
        wire_resistance_row=unit_res * len_row,
        wire_resistance_col=unit_res * len_col,
        read_voltage=cfg.read_voltage_v if cfg.read_voltage_v is not None else _READ_VOLTAGE[node],
        sizing_factor_mux=cfg.sizing_factor_mux if cfg.sizing_factor_mux is not None else mux_f,
        sizing_factor_wl_decoder=cfg.sizing_factor_wl_decoder,
        new_switch_matrix_size_ratio=(cfg.new_switch_matrix_size_ratio
                                      if cfg.new_switch_matrix_size_ratio is not None else nsm),
        switch_matrix_size_ratio=(cfg.switch_matrix_size_ratio
                                  if cfg.switch_matrix_size_ratio is not None else sm),
        buffer_number=buf_n,
        buffer_size_ratio=buf_r,
        height_in_feature_size_sram=h_sram,
        width_in_feature_size_sram=w_sram,
        width_sram_cell_nmos=1.0,
        width_sram_cell_pmos=1.0,
        width_access_cmos=1.0,
        resistance_access=cfg.resistance_on_ohm * IR_DROP_TOLERANCE,
        max_conductance=1.0 / cfg.resistance_on_ohm,
        min_conductance=1.0 / cfg.resistance_off_ohm,
        **cal,
    )


#: unit and meaning of every `HardwareConfig` field (the README's field table is generated from
#: this: ``python -m neurosim_core.params``); Param.cpp names in brackets
FIELD_DOCS: dict[str, tuple[str, str]] = {
    "operation_mode": ("", "conventional_parallel: rows read in parallel through ADCs; conventional_sequential: row by row [operationmode 2/1]"),
    "mem_cell": ("", "synaptic cell: sram, rram, fefet (PCM/STT-MRAM/ECRAM: rram with their R_on/R_off) [memcelltype]"),
    "access": ("", "cmos: 1T1R access transistor; none: crossbar [accesstype 1/4]"),
    "transistor": ("", "conventional CMOS [transistortype]"),
    "roadmap": ("", "lstp (low standby power) or hp (high performance; nodes >= 22 nm) [deviceroadmap]"),
    "tech_node_nm": ("nm", "technology node: 130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1 [technode]"),
    "temperature_k": ("K", "operating temperature, 300..400 (300 at 14 nm and below) [temp]"),
    "clk_freq_hz": ("Hz", "clock frequency; lowered to the sensing delay when synchronous [clkFreq]"),
    "synchronous": ("", "clock decided by the slowest sensing delay (latencies in cycles) [synchronous]"),
    "synapse_bits": ("bit", "weight precision (main argv[2], the wrapper's wl_weight) [synapseBit]"),
    "input_bits": ("bit", "activation precision, fed bit-serially (argv[3], wl_activate) [numBitInput]"),
    "num_row_subarray": ("rows", "subarray rows (argv[4]) [numRowSubArray]"),
    "num_col_subarray": ("columns", "subarray columns [numColSubArray]"),
    "num_row_parallel": ("rows", "rows read at once (partial parallel read; argv[5]); unset: all rows (parallel) / 1 (sequential) [numRowParallel]"),
    "num_col_muxed": ("columns", "columns sharing one ADC [numColMuxed]"),
    "level_output": ("levels", "ADC levels, 2**ADC bits (32 = 5-bit) [levelOutput]"),
    "cell_bit": ("bit", "bits per cell, 1..8 and at most synapse_bits (forced to 1 for SRAM) [cellBit]"),
    "adc_type": ("", "mlsa (multilevel sense amp) or sar [SARADC]"),
    "current_mode": ("", "MLSA with current sense amp (false: voltage sense amp) [currentMode]"),
    "relax_array_cell_height": ("", "relax the cell height to the periphery pitch [relaxArrayCellHeight]"),
    "relax_array_cell_width": ("", "relax the cell width to the periphery pitch [relaxArrayCellWidth]"),
    "global_bus": ("", "xy_bus or htree global interconnect [globalBusType]"),
    "global_buffer": ("", "register_file or sram global buffer [globalBufferType]"),
    "global_buffer_core_rows": ("bits", "global buffer core rows [globalBufferCoreSizeRow]"),
    "global_buffer_core_cols": ("bits", "global buffer core columns [globalBufferCoreSizeCol]"),
    "tile_buffer": ("", "register_file or sram tile buffer [tileBufferType]"),
    "tile_buffer_core_rows": ("bits", "tile buffer core rows [tileBufferCoreSizeRow]"),
    "tile_buffer_core_cols": ("bits", "tile buffer core columns [tileBufferCoreSizeCol]"),
    "pe_buffer": ("", "register_file or sram PE buffer [peBufferType]"),
    "chip_activation": ("", "activation units at chip level (false: in each tile) [chipActivation]"),
    "relu": ("", "ReLU activation (false: sigmoid) [reLu]"),
    "novel_mapping": ("", "novel (kernel-position) mapping of conv layers [novelMapping]"),
    "pipeline": ("", "layers pipelined (false: layer by layer) [pipeline]"),
    "speedup_degree": ("", "maximum weight duplication per layer [speedUpDegree]"),
    "validated": ("", "apply the silicon calibration factors alpha..zeta [validated]"),
    "global_bus_delay_tolerance": ("", "allowed bus delay over the clock period, global [globalBusDelayTolerance]"),
    "local_bus_delay_tolerance": ("", "allowed bus delay over the clock period, local [localBusDelayTolerance]"),
    "tree_folded_ratio": ("", "H-tree folding ratio [treeFoldedRatio]"),
    "max_global_bus_width": ("bits", "maximum global bus width [maxGlobalBusWidth]"),
    "input_toggle": ("", "toggle rate of input data on buses, 0..1 [inputtoggle]"),
    "output_toggle": ("", "toggle rate of output data on buses, 0..1 [outputtoggle]"),
    "sync_data_transfer": ("", "synchronous data transfer (not supported; must stay false) [sync_data_transfer]"),
    "algo_weight_max": ("", "largest weight value of the algorithm [algoWeightMax]"),
    "algo_weight_min": ("", "smallest weight value of the algorithm [algoWeightMin]"),
    "resistance_on_ohm": ("ohm", "eNVM on-state resistance [resistanceOn]"),
    "resistance_off_ohm": ("ohm", "eNVM off-state resistance (> R_on) [resistanceOff]"),
    "read_voltage_v": ("V", "read voltage; unset: per-node default [readVoltage]"),
    "read_pulse_width_s": ("s", "read pulse width [readPulseWidth]"),
    "access_voltage_v": ("V", "access transistor gate voltage [accessVoltage]"),
    "write_voltage_v": ("V", "write voltage [writeVoltage]"),
    "min_sense_voltage_v": ("V", "minimum sense voltage (SRAM) [minSenseVoltage]"),
    "height_in_feature_size_1t1r": ("F", "1T1R cell height [heightInFeatureSize1T1R]"),
    "width_in_feature_size_1t1r": ("F", "1T1R cell width [widthInFeatureSize1T1R]"),
    "height_in_feature_size_crossbar": ("F", "crossbar cell height [heightInFeatureSizeCrossbar]"),
    "width_in_feature_size_crossbar": ("F", "crossbar cell width [widthInFeatureSizeCrossbar]"),
    "height_in_feature_size_sram": ("F", "SRAM cell height; unset: per-node default (10 F planar) [heightInFeatureSizeSRAM]"),
    "width_in_feature_size_sram": ("F", "SRAM cell width; unset: per-node default (28 F planar) [widthInFeatureSizeSRAM]"),
    "sizing_factor_mux": ("", "mux transistor sizing; unset: per-node default [sizingfactor_MUX]"),
    "sizing_factor_wl_decoder": ("", "WL decoder sizing [sizingfactor_WLdecoder]"),
    "new_switch_matrix_size_ratio": ("", "new switch matrix sizing; unset: per-node default [newswitchmatrixsizeratio]"),
    "switch_matrix_size_ratio": ("", "switch matrix sizing; unset: per-node default [switchmatrixsizeratio]"),
    "activity_mode": ("", "real: per-vector traces; pseudo: one measured activity per layer; average: the two fields below (IEDM'19 Fig. 7)"),
    "average_row_activity": ("", "average mode: fraction of a subarray's rows one input bit-vector activates, 0..1"),
    "average_cell_level": ("", "average mode: mean cell conductance level, 0 (G_min) .. 1 (G_max)"),
    "compat": ("", "neurosim_v14: reproduce V1.4's defects (exact reference numbers); neurosim_v21: V2.1's; corrected: the consistent model (README quirk table)"),
}


def fields_markdown() -> str:
    """The README's table of hardware fields: name, unit, default, meaning."""
    lines = ["| field | unit | default | meaning |", "|---|---|---|---|"]
    for f in fields(HardwareConfig):
        unit, meaning = FIELD_DOCS[f.name]
        default = "unset" if f.default is None else f.default
        lines.append(f"| `{f.name}` | {unit} | `{default}` | {meaning} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(fields_markdown())
