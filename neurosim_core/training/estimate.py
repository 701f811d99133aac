"""On-chip training estimate: per layer FW / AG / WG / WU phases + DRAM, per epoch, and the chip totals.

Follows DNN+NeuroSim V2 (Peng, Huang, Chang, Yu, IEEE TCAD 2021, Sec. III) / V2.1:

* **FW** (forward): the inference read of one image on the same chip (the inference estimator's
  circuits: sub-arrays, ADCs, adder trees, buffers, H-tree), plus the layer's activations out to
  DRAM and back (`dram.training_traffic_bits`).
* **AG** (activation gradient, none for layer 1): the same arrays read in the transposed direction
  through the BP periphery.  *Approximation*: costed as the forward read of the same arrays
  (the BP periphery mirrors the forward one: ``level_output_ag`` / ``num_row_muxed_ag`` equal
  the forward ADC and mux at V2.1's defaults; V2.1's own AG figures are within 1-5 % of its FW
  ones), plus its DRAM traffic.
* **WG** (weight gradient): the activation and weight-gradient DRAM traffic.  The SRAM
  compute-in-memory weight-gradient unit and the gradient accumulation adder are NOT modelled
  yet (listed in the result's ``notes``).
* **WU** (weight update): per sub-array, the write pulses of new vs old conductance
  (`weight_update.write_workload`), rows sequential, sub-arrays sequential, divided by the
  arrays written in parallel (``numArrayWriteParallel``, set by the buffer-overhead budget);
  energy of the cells and of the word/bit/source lines.  Write-driver latency and the delivery
  of new weights through buffers are NOT modelled yet.
* **Scaling**: FW, AG, WG per image x ``batch_size`` x ``iterations``; WU x ``iterations``.
  Layer by layer: latencies add up; a layer's leakage energy is the other layers' tiles leaking
  during its FW + AG.  TOPS counts ``3 x MACs x 2 - 2 x MACs(layer 1)`` operations per image.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Sequence

import numpy as np

from .. import formula, quirks
from ..cell import CellAccessType, make_cell
from ..circuits.arithmetic import AdderBankSpec, adder_bank
from ..circuits.env import CircuitEnv
from ..estimate import EstimateError, estimate
from ..floorplan import Floorplan
from ..network import Network
from ..params import HardwareConfig, resolve
from ..tech import technology
from ..traces import LayerTrace
from .config import TrainingConfig
from .phase import Phase
from .wg_unit import WGUnitSpec, build_wg_unit
from .dram import DramSpec, build_dram, training_traffic_bits
from .traces import TrainingTrace
from .weight_update import array_write_energy, write_workload

__all__ = ["Phase", "TrainingLayerResult", "TrainingResult", "estimate_training", "weight_gradient_precision",
           "arrays_written_in_parallel", "training_operations"]


@dataclass(frozen=True)
class TrainingLayerResult:
    """One layer, per epoch (SI units).  ``*_peak`` leave out buffers, interconnect and DRAM."""

    index: int
    name: str
    num_tiles: int
    speedup: int
    utilization: float
    fw: Phase
    ag: Phase
    wg: Phase
    wu: Phase
    fw_peak: Phase
    ag_peak: Phase
    wg_peak: Phase
    wu_peak: Phase
    leakage_power: float
    leakage_energy: float
    adc: Phase  # FW + AG breakdown
    accum: Phase
    array_other: Phase
    buffer: Phase
    interconnect: Phase
    dram: Phase  # what the breakdown line prints (see quirk v21_dram_breakdown_line)
    write_pulses: int  # WU pulse slots per iteration (all sub-arrays)
    written_cells: int


@dataclass(frozen=True)
class TrainingResult:
    floorplan: Floorplan
    layers: tuple[TrainingLayerResult, ...]
    area: float
    area_array: float
    area_ic: float
    area_adc: float
    area_accum: float
    area_other: float
    area_wg: float
    num_computation: float  # operations per epoch
    batch_size: int
    iterations: int
    arrays_written_in_parallel: int
    weight_gradient_bits: int
    notes: tuple[str, ...] = ()

    def total(self, attr: str) -> Phase:
        out = Phase()
        for layer in self.layers:
            out = out + getattr(layer, attr)
        return out

    @property
    def latency(self) -> float:
        return sum(self.total(a).latency for a in ("fw", "ag", "wg", "wu"))

    @property
    def energy(self) -> float:
        return sum(self.total(a).energy for a in ("fw", "ag", "wg", "wu"))

    @property
    def peak_latency(self) -> float:
        return sum(self.total(a).latency for a in ("fw_peak", "ag_peak", "wg_peak", "wu_peak"))

    @property
    def peak_energy(self) -> float:
        return sum(self.total(a).energy for a in ("fw_peak", "ag_peak", "wg_peak", "wu_peak"))

    @property
    def leakage_energy(self) -> float:
        return sum(layer.leakage_energy for layer in self.layers)

    @property
    def leakage_power(self) -> float:
        return sum(layer.leakage_power for layer in self.layers)

    @property
    def tops_per_w(self) -> float:
        return self.num_computation / ((self.energy + self.leakage_energy) * 1e12)

    @property
    def tops(self) -> float:
        return self.num_computation / (self.latency * 1e12)

    @property
    def epochs_per_s(self) -> float:
        return 1.0 / self.latency

    @property
    def peak_tops_per_w(self) -> float:
        return self.num_computation / (self.peak_energy * 1e12)

    @property
    def peak_tops(self) -> float:
        return self.num_computation / (self.peak_latency * 1e12)

    def to_rows(self) -> list[dict]:
        """Rows in the reference table's columns and units (ns, pJ, uW, um^2); scope '1'..'n', 'chip'."""
        from .report import result_rows

        return result_rows(self)


def training_operations(network: Network, batch_size: int, iterations: int) -> float:
    """Operations of one epoch for TOPS: FW + AG + WG, each 2*MACs per layer, no AG for layer 1."""
    return float((3 * network.num_computation - network.layers[0].num_computation) * batch_size * iterations)


def weight_gradient_precision(network: Network, hw: HardwareConfig, tc: TrainingConfig) -> int:
    """Bits of one weight gradient leaving the WG unit: ADC bits + input bits + accumulation stages.

    The WG unit is sized for the layer with the largest IFM (H*W*C); its array rows hold the
    ``(H-K+1)(W-K+1)`` valid windows, and partial sums of ``floor(rows/numRowSubArrayWG)`` arrays
    add up in an adder tree of ``ceil(log2(n))`` stages (V2, Sec. III-B).
    """
    big = max(network.layers, key=lambda l: l.ifm_h * l.ifm_w * l.ifm_c)
    mem_rows = (big.ifm_h - big.k_h + 1) * (big.ifm_w - big.k_w + 1)
    n_arrays = max(1, mem_rows // tc.num_row_subarray_wg)
    stages = math.ceil(math.log2(n_arrays)) if n_arrays > 1 else 0
    adc_bits = math.log2(tc.level_output_wg) if tc.parallel_bp else math.log2(tc.num_row_subarray_wg)
    return int(adc_bits + hw.input_bits + stages)


def arrays_written_in_parallel(network: Network, hw: HardwareConfig, tc: TrainingConfig, grad_bits: int) -> int:
    return _gradient_buffer(network, hw, tc, grad_bits)[0]


def _gradient_buffer(network: Network, hw: HardwareConfig, tc: TrainingConfig, grad_bits: int) -> tuple[int, int]:
    """Sub-arrays whose weight updates the gradient buffer holds at once (V2.1 numArrayWriteParallel).

    The global buffer holds the largest layer input; the weight-gradient overhead starts at one
    sub-array of gradients (``outPrecision + ceil(log2(batch))`` bits per cell) and doubles, with
    the parallel writes, while it stays under ``buffer_overhead_constraint`` x the buffer.  V2.1
    reads ``outPrecision`` before it is set (quirk ``v21_write_parallel_uninitialised_precision``:
    0 there).
    """
    ncps = math.ceil(hw.synapse_bits / hw.cell_bit) if hw.mem_cell != "sram" else hw.synapse_bits
    if hw.pipeline:
        buffer_bits = hw.input_bits * sum(l.ifm_h * l.ifm_w * l.ifm_c / 2 for l in network.layers)
    else:
        buffer_bits = hw.input_bits * max(l.ifm_h * l.ifm_w * l.ifm_c for l in network.layers)
    buffer_bits = int(buffer_bits)
    precision = 0 if quirks.applies("v21_write_parallel_uninitialised_precision", tc.compat) else grad_bits
    cells = hw.num_row_subarray * hw.num_col_subarray
    overhead = cells * ncps * (precision + math.ceil(math.log2(tc.batch_size)))
    n = max(1, overhead // (cells * hw.synapse_bits))
    # V2.1 never leaves its doubling loop when that start is 0 bits (batch of 1 with the quirk):
    # start from one bit per cell instead
    overhead = max(overhead, cells * ncps)
    while buffer_bits + overhead < buffer_bits * (tc.buffer_overhead_constraint + 1):
        overhead *= 2
        n *= 2
    return int(n), int(buffer_bits + overhead)


def _global_buffer(chip, bits_read: float, bits_write: float, cores: int, clock_period: float,
                   compat: str = "corrected") -> Phase:
    """One pass of ``bits_read`` out of and ``bits_write`` into the global buffer (V2: the buffer
    cores work in parallel up to the global bus width).

    A synchronous buffer moves one line per clock cycle and reports cycles: they are converted to
    seconds with the chip's ``clock_period`` (s; the inference pass's, as V2.1's main multiplies
    its cycle counts by ``clkPeriod``).

    V2.1's register-file buffer drives each line's word line across the full width of its DFFs
    (12 inverters wide) rather than their height, and its access adds the word-line decode to the
    half clock cycle of the DFFs; under quirk ``v21_register_file_line_spans_dffs`` a line costs that.
    """
    p = chip.p
    gb = chip.global_buffer
    w = gb.port("interface_width")
    lines_read, lines_write = bits_read / w, bits_write / w
    if p.synchronous:  # one line per clock cycle
        if not clock_period > 0:
            raise EstimateError("training estimation: synchronous=true but the chip clock period is "
                                f"{clock_period!r} s; set synchronous=false")
        read, write = lines_read * clock_period, lines_write * clock_period
    else:
        read, write = gb.cost("read").latency_s * lines_read, gb.cost("write").latency_s * lines_write
    if quirks.applies("v21_register_file_line_spans_dffs", compat) and p.global_buffer != "sram" and not p.synchronous:
        from ..circuits.decoders import RowDecoderSpec, row_decoder
        from ..circuits.dff import DffBankSpec, dff_bank
        from ..circuits.env import CircuitEnv

        env = CircuitEnv.of(p, chip.tech)
        num_row = gb.port("num_row")
        dffs = dff_bank(DffBankSpec(num_dff=int(num_row * w)), env)
        decoder = row_decoder(RowDecoderSpec(
            num_addr_bits=int(math.ceil(math.log2(num_row))), driver_sizing=p.sizing_factor_wl_decoder,
            read_activity=p.epsilon if p.validated else 1.0, fit_height_m=dffs.port("dff_height_m") * num_row,
            load_cap_f=dffs.port("dff_width_m") * w * 0.2e-15 / 1e-6, line_cells=w), env)
        half_cycle = 1.0 / p.clk_freq_hz / 2
        read = (decoder.cost("read").latency_s + half_cycle) * lines_read
        write = (decoder.cost("write").latency_s + half_cycle) * lines_write
    parallel = min(cores, math.ceil(chip.global_bus_width / w))
    energy = gb.port("read_energy_per_bit_j") * bits_read + gb.port("write_energy_per_bit_j") * bits_write
    return Phase((read + write) / parallel, energy)


def _interconnect_leakage_w(chip, kind) -> float:
    """Leakage (W) of one tile's interconnect: its PEs' input/output buses and its H-tree (repeater
    leakage, clock independent), which V2.1's PE / tile leakage sums leave out (quirk
    ``v21_leakage_omits_interconnect``; V2.1 ProcessingUnit.cpp / Tile.cpp leakage lines)."""
    from ..pe import PEShape

    clk = chip.p.clk_freq_hz
    pe_parts = chip.tile.pe.macro(PEShape.of(chip.p, kind.pe_size).side, 1, clk)
    buses = pe_parts.part("input_bus").model.leakage_w + pe_parts.part("output_bus").model.leakage_w
    return kind.pe_count * buses + chip.tile.macro(kind, 0, clk).part("htree").model.leakage_w


def _rows_written(work, hw: HardwareConfig, compat: str) -> np.ndarray:
    """Per sub-array: rows written by one weight update (rows selected for SET and RESET, averaged).

    V2.1 counts the sub-array's physical rows times the write activity of its *mapped* rows (quirk
    ``v21_write_rows_physical_times_activity``: too many rows in a partly filled sub-array).
    """
    if quirks.applies("v21_write_rows_physical_times_activity", compat):
        return hw.num_row_subarray * work.activity_row_write
    return work.rows * work.activity_row_write


def _sram_write(sa, work, hw: HardwareConfig, cell, tech, temperature_k: int,
                compat: str = "corrected") -> tuple[np.ndarray, np.ndarray]:
    """Per sub-array (latency, energy) of rewriting the changed SRAM bits (V2, Sec. III-C).

    Each selected row is written once per write operation: the cell's latch flips through its
    pull-up/pull-down pair (Horowitz delay of ``R_pull * C_cell``); every written cell flips Q and
    Q-bar (``2 C_cell Vdd^2``).  Rows written: `_rows_written`.
    """
    from .. import formula
    from ..constants import NMOS, PMOS

    f = tech.feature_size
    r_pull = (formula.on_resistance(cell.width_sram_cell_nmos * f, NMOS, temperature_k, tech)
              + formula.on_resistance(cell.width_sram_cell_pmos * f, PMOS, temperature_k, tech)) / 2
    gm = (formula.transconductance(cell.width_sram_cell_nmos * f, NMOS, tech)
          + formula.transconductance(cell.width_sram_cell_pmos * f, PMOS, tech)) / 2
    flip, _ = formula.horowitz(r_pull * cell.cap_sram_cell, 1 / (r_pull * gm), 1e20)
    ops_per_row = np.ceil(work.cols * work.activity_col_write / work.cols)
    rows = _rows_written(work, hw, compat)
    latency = flip * ops_per_row * rows + _write_driver_latency(sa, work, hw, sram=True, compat=compat)
    energy = cell.cap_sram_cell * tech.vdd ** 2 * 2 * hw.num_col_subarray * work.activity_col_write * rows
    return latency, energy


def _write_driver_latency(sa, work, hw: HardwareConfig, sram: bool = False, compat: str = "corrected") -> np.ndarray:
    """Per sub-array: the line drivers' part of a weight update (s).

    Every selected row is driven twice (SET, RESET phase) for each write operation of a row
    (``ceil(cols * activity_col_write / cols)``), through the row and column switch matrices, which
    work at the same time (the slower one counts).  Rows written: `_rows_written`.
    """
    if hw.mem_cell == "sram" and not sram:
        return np.zeros_like(work.rows)
    ops_per_row = np.ceil(work.cols * work.activity_col_write / work.cols)
    n_write = 2 * ops_per_row * _rows_written(work, hw, compat)
    taus = [sa.macro.part(role).model.cost("write", activity_col_write=0.0).latency_s
            for role in ("wl_switch_matrix", "sl_switch_matrix") if sa.macro.has(role)]
    return max(taus, default=0.0) * n_write


def _source_line_write_energy(work, hw: HardwareConfig, tc: TrainingConfig, wires, tech, p,
                              write_voltage: float) -> np.ndarray:
    """Per sub-array: the source-line switch matrix's weight-update energy, at V2.1's sizing.

    V2.1 sizes each source-line transmission gate for ``IR_DROP_TOLERANCE`` of the cell's on
    resistance at the linear-region ratio (minimum-size gates at these resistances) and writes
    ``2 x ceil(activity) x rows written`` times; it reads the pulses per row before any layer sets
    them (quirk ``v21_sl_write_pulses_uninitialised``: 0).
    """
    from ..constants import INV, IR_DROP_TOLERANCE, LINEAR_REGION_RATIO, NMOS, PMOS
    from .weight_update import line_switch_write_energy

    f = tech.feature_size
    res = wires.res_mem_cell_on * IR_DROP_TOLERANCE
    w_n = formula.on_resistance(f, NMOS, p.temperature_k, tech) * f * LINEAR_REGION_RATIO / (res * 2)
    w_p = formula.on_resistance(f, PMOS, p.temperature_k, tech) * f * LINEAR_REGION_RATIO / (res * 2)
    h = formula.pass_gate_area(w_n, w_p, tech, 1)[1]
    drain = formula.gate_capacitance(INV, 1, w_n, w_p, h, tech)[1]
    gates = formula.gate_cap(w_n, tech) + formula.gate_cap(w_p, tech)
    ops_per_row = np.ceil(work.cols * work.activity_col_write / work.cols)
    writes = 2 * ops_per_row * _rows_written(work, hw, tc.compat)
    pulses = 0.0 if quirks.applies("v21_sl_write_pulses_uninitialised", tc.compat) else work.pulses_avg
    return line_switch_write_energy(work, writes=writes, num_col=hw.num_col_subarray, drain_cap_f=drain,
                                    gate_cap_f=gates, vdd=tech.vdd, write_voltage=write_voltage, pulses=pulses)


def _peak_write_copies(fp: Floorplan, index: int) -> int:
    """Copies of a layer's weights that V2.1's PEAK weight-update energy counts.

    A conventionally mapped layer duplicated at least once per PE in both directions is held whole
    by every PE, each duplicating it ``ceil(speed-up / PEs per side)`` times inside: all those copies
    are written (V2 Sec. III-C: every duplicate is updated).  Other duplications (novel-mapped tiles,
    partial PE duplication) enter V2.1's non-PEAK weight update only (not modelled yet).
    """
    if fp.mark_nm[index]:
        return 1
    num_pe = math.ceil(fp.desired_tile_size_cm / fp.desired_pe_size_cm)
    rows, cols = fp.speedup_rows[index], fp.speedup_cols[index]
    if rows * cols > 1 and rows >= num_pe and cols >= num_pe:
        return num_pe * num_pe * math.ceil(rows / num_pe) * math.ceil(cols / num_pe)
    return 1


def _inference_traces(traces: Sequence[TrainingTrace]) -> list[LayerTrace]:
    out = []
    for t in traces:
        half = 2 ** (t.wbits - 1)
        q = np.rint(t.weight_new * half).astype(np.int16)
        out.append(LayerTrace(name=t.name, weight_q=q, input_q=t.input_q, wbits=t.wbits, abits=t.abits,
                              net_row=t.net_row))
    return out


def _row_blocks(layer, rows: int, hw: HardwareConfig, novel: bool) -> list[int]:
    """Starts of the sub-array row blocks in the weight matrix (novel mapping: per kernel position)."""
    sub = hw.num_row_subarray
    if novel and layer.k_h * layer.k_w > 1:
        per_pe = layer.ifm_c
        return [k * per_pe + s for k in range(layer.k_h * layer.k_w) for s in range(0, per_pe, sub)]
    return list(range(0, rows, sub))


def _training_subarray_area(sa, hw: HardwareConfig, tc: TrainingConfig, p, tech):
    """(BP periphery area per bucket, V2.1 forward ADC area - the inference model's) of one sub-array (m^2)."""
    from ..arch import Breakdown
    from .bp_periphery import TransposedReadSpec, forward_adc_model, transposed_read_macro

    env = CircuitEnv.of(p, tech)
    sram = hw.mem_cell == "sram"
    spec = TransposedReadSpec(
        rows=hw.num_row_subarray, cols=hw.num_col_subarray, height_m=float(sa.wires.length_col),
        level_output_ag=tc.level_output_ag, num_row_muxed_ag=tc.num_row_muxed_ag, error_bits=tc.error_bits,
        cells_per_synapse=p.num_col_per_synapse, cell_bits=1 if sram else hw.cell_bit, parallel_bp=tc.parallel_bp,
        current_mode=hw.current_mode, resistance_on_ohm=hw.resistance_on_ohm,
        resistance_off_ohm=hw.resistance_off_ohm, read_voltage_v=float(p.read_voltage), node_nm=hw.tech_node_nm,
        roadmap=hw.roadmap)
    if sram:  # V2.1's SRAM sub-array senses with plain sense amps; its BP path is not modelled here
        return Breakdown(), 0.0, None
    bp = transposed_read_macro(spec, p=p, env=env).area_m2()
    fw = forward_adc_model(num_adc=max(1, hw.num_col_subarray // hw.num_col_muxed), levels=hw.level_output,
                           width_m=float(sa.wires.length_row), spec=spec, p=p, env=env)
    return bp, fw.area_m2 - float(sa.area_adc), spec


def estimate_training(network: Network, traces: Sequence[TrainingTrace], params: HardwareConfig | None = None,
                      batch_size: int | None = None, iterations: int | None = None, *,
                      training: TrainingConfig | None = None) -> TrainingResult:
    """Estimate one training epoch of ``network`` on chip ``params`` (default: V2.1's chip).

    ``batch_size`` / ``iterations`` override the training config's (images per iteration,
    iterations per epoch).
    """
    from .config import v21_default_hardware

    hw = params if params is not None else v21_default_hardware()
    tc = training if training is not None else TrainingConfig()
    if batch_size is not None or iterations is not None:
        tc = tc.replace(batch_size=batch_size if batch_size is not None else tc.batch_size,
                        iterations=iterations if iterations is not None else tc.iterations)
    if len(traces) != len(network):
        raise EstimateError(f"{len(traces)} layer traces given for a network of {len(network)} layers")
    if hw.pipeline:
        raise EstimateError("training estimation: pipeline=true is not supported yet (V2.1 crashes there too); "
                            "set pipeline=false")
    notes: list[str] = []
    # V2.1 prices RRAM and FeFET reads identically (only the weight update differs) and accepts RRAM
    # below 22 nm, which the inference models refuse: under neurosim_v21 such a chip reads as FeFET
    read_hw = hw
    if quirks.applies("v21_rram_below_22nm_as_fefet", tc.compat) and hw.mem_cell == "rram" and hw.tech_node_nm < 22:
        read_hw = hw.replace(mem_cell="fefet")
        notes.append("RRAM below 22 nm: read path priced as FeFET (V2.1 prices both alike; V1.4 refuses RRAM there)")
    p = resolve(read_hw, source="training hardware")
    tech = technology(p.technode, p.roadmap, compat=p.compat)
    cell = make_cell(p, tech)
    notes += ["FW read: the inference (V1.4) circuit models; AG: the same read of the same arrays (V2.1's BP "
              "periphery is in the area, and in the sequential-BP extra conversions, but not in the parallel AG read)",
              "WU write-driver energy and new-weight delivery through buffers not modelled"]

    inference = estimate(network, _inference_traces(traces), p, tech=tech, cell=cell)
    grad_bits = weight_gradient_precision(network, hw, tc)
    n_parallel, buffer_bits = _gradient_buffer(network, hw, tc, grad_bits)
    dram = build_dram(spec=DramSpec(kind=tc.dram))  # type: ignore[arg-type]

    from ..chip import Chip

    # weight-gradient accumulation over the batch (V2, Sec. III-B; V2.1 Chip.cpp gradient accumulator):
    # one ripple-carry adder of outPrecision + log2(batch) bits per gradient the buffer holds; its
    # area is part of the WG unit's
    accumulator_adders = n_parallel * hw.num_row_subarray * hw.num_col_subarray
    accumulator = adder_bank(AdderBankSpec(num_bit=grad_bits + math.ceil(math.log2(tc.batch_size)),
                                           num_adder=accumulator_adders), CircuitEnv.of(p, tech))

    big = max(network.layers, key=lambda l: l.ifm_h * l.ifm_w * l.ifm_c)
    wg_rows = (big.ifm_h - big.k_h + 1) * (big.ifm_w - big.k_w + 1)
    wg_cols = big.ifm_c * hw.input_bits

    chip = Chip(p, tech, cell, network, inference.floorplan)
    sa = chip.tile.pe.subarray
    fp = inference.floorplan
    bp_area, fw_adc_delta, bp_spec = _training_subarray_area(sa, hw, tc, p, tech)
    seq_step = None
    if not tc.parallel_bp and bp_spec is not None:
        from .bp_periphery import SEQUENTIAL_BP_COLUMN_ACTIVITY, sequential_bp_step

        g_mean = (1 / hw.resistance_on_ohm + 1 / hw.resistance_off_ohm) / 2
        typical = np.full(hw.num_col_subarray, 1 / (g_mean * max(hw.num_row_subarray // 2, 1)))
        seq_step = sequential_bp_step(bp_spec, sub=sa, column_resistance=typical, p=p,
                                      env=CircuitEnv.of(p, tech))
        # row-by-row: numRowMuxedAG x (cols x activity) conversions per read, numRowMuxedAG in parallel BP
        seq_extra = tc.num_row_muxed_ag * (hw.num_col_subarray * SEQUENTIAL_BP_COLUMN_ACTIVITY - 1)
        seq_sense_extra = hw.num_col_subarray * SEQUENTIAL_BP_COLUMN_ACTIVITY - 1
        notes.append("sequential BP: the parallel AG read plus the extra row-by-row conversions of the BP "
                     "periphery (switch matrix, one-cell sense, adder, register)")
    n_subarrays = inference.area_array / sa.area_array if sa.area_array else 0.0
    images = tc.batch_size * tc.iterations
    total_tiles = sum(fp.num_tiles)
    # V2.1 prices the cell writes at sqrt(V_LTP^2 + V_LTD^2) (sqrt 2 x the write voltage when they are equal)
    cell_write_voltage = tc.write_voltage_v
    if quirks.applies("v21_write_voltage_root_sum_square", tc.compat):
        cell_write_voltage = math.sqrt(2 * tc.write_voltage_v ** 2)
    layers = []
    for i, (layer, trace, inf) in enumerate(zip(network.layers, traces, inference.layers)):
        first = i == 0
        traffic = training_traffic_bits(ifm_h=layer.ifm_h, ifm_w=layer.ifm_w, ifm_c=layer.ifm_c, k_h=layer.k_h,
                                        k_w=layer.k_w, c_out=layer.c_out, input_bits=hw.input_bits,
                                        grad_bits_per_weight=grad_bits, first_layer=first, compat=tc.compat)

        def d(bits: float) -> Phase:
            lat, en = dram.transfer(bits)
            return Phase(float(lat), float(en))

        # global buffer: the inference pass counted one V1.4-style pass of the layer's activations;
        # training moves them twice per phase through a buffer that also holds the weight gradients,
        # and V2 serialises the transfer over the share of the bus the layer's tiles own
        bits_out = layer.weight_rows * hw.input_bits * layer.num_in_vectors / (layer.k_h if fp.mark_nm[i] else 1)
        bits_in = layer.c_out * hw.input_bits * layer.num_in_vectors / (4 if layer.pool else 1)
        gb_inference = _global_buffer(chip, bits_out, bits_in, chip.num_buffer_core, inference.clock_period)
        cores = math.ceil(buffer_bits / (p.global_buffer_core_rows * p.global_buffer_core_cols))
        gb_pass = _global_buffer(chip, bits_out, bits_in, cores, inference.clock_period, tc.compat)
        gb_pass = Phase(gb_pass.latency * math.ceil(total_tiles / fp.num_tiles[i]), gb_pass.energy)
        gb_grad = _global_buffer(chip, traffic.grad_bits, traffic.grad_bits, cores, inference.clock_period,
                                 tc.compat)

        read = Phase(inf.read_latency, inf.read_dynamic_energy)
        periph = Phase(inf.buffer_latency + inf.ic_latency,
                       inf.buffer_read_dynamic_energy + inf.ic_read_dynamic_energy)
        peak_img = Phase(read.latency - periph.latency, read.energy - periph.energy)
        tiles_img = Phase(read.latency - gb_inference.latency, read.energy - gb_inference.energy)
        fw = (tiles_img + gb_pass.scale(2) + d(traffic.fw_bits)).scale(images)
        fw_peak = peak_img.scale(images)
        ag_extra = Phase()
        if seq_step is not None and not first:
            # critical path: one copy's vectors; energy: every sub-array of every copy
            ncps = p.num_col_per_synapse
            per_copy = (math.ceil(layer.weight_rows / hw.num_row_subarray)
                        * math.ceil(layer.c_out * ncps / hw.num_col_subarray))
            vectors = layer.num_in_vectors * hw.input_bits  # V2.1 reads AG once per input bit-vector
            sense, step = seq_step.cost("sense"), seq_step.cost("step")
            ag_extra = Phase(vectors / fp.speedup[i] * seq_extra * (sense.latency_s + step.latency_s),
                             vectors * per_copy * (seq_extra * step.energy_j + seq_sense_extra * sense.energy_j))
        ag = Phase() if first else (tiles_img + ag_extra + gb_pass.scale(2) + d(traffic.ag_bits)).scale(images)
        ag_peak = Phase() if first else (peak_img + ag_extra).scale(images)
        # V2.1 sizes the WG unit once but sets its activity from each layer's argument
        wg_unit = build_wg_unit(spec=WGUnitSpec(mem_rows=wg_rows, mem_cols=wg_cols, activity=trace.activity),
                                hw=read_hw, tc=tc)
        if not wg_unit.composed:
            notes.append("WG unit: sub-array read from the inference SRAM sub-array (V2.1's component-by-component "
                         "sub-array applies to parallel BP with its multilevel sense amp only)")
        wg_img = wg_unit.layer_cost(ifm_h=layer.ifm_h, ifm_w=layer.ifm_w, ifm_c=layer.ifm_c, k_h=layer.k_h,
                                    k_w=layer.k_w, c_out=layer.c_out, input_bits=hw.input_bits)
        weights = layer.ifm_c * layer.k_h * layer.k_w * layer.c_out
        passes = math.ceil(weights / accumulator_adders)
        add = accumulator.cost("add")
        wg_img = wg_img + Phase(add.latency_s * passes, add.energy_j * min(weights, accumulator_adders) * passes)
        wg = (wg_img + gb_pass.scale(2) + gb_grad.scale(2) + d(traffic.wg_bits)).scale(images)
        wg_peak = wg_img.scale(images)
        tile_buffers = Phase(inf.buffer_latency - gb_inference.latency,
                             inf.buffer_read_dynamic_energy - gb_inference.energy)
        buffers = (tile_buffers + gb_pass.scale(4 if first else 6) + gb_grad.scale(2)).scale(images)

        # weight update
        novel = fp.mark_nm[i]
        starts = _row_blocks(layer, trace.rows, hw, novel)
        # the kernels map the weights to conductances / SRAM cell values on the fly
        work = write_workload(trace.weight_new, trace.weight_old, cell=hw.mem_cell, row_order=np.arange(trace.rows), row_block_starts=starts,
                              sub_cols=hw.num_col_subarray, g_max=p.max_conductance, g_min=p.min_conductance,
                              max_levels=tc.max_num_level, write_voltage=cell_write_voltage,
                              write_pulse_width=tc.write_pulse_width_s, polarization_uc_cm2=tc.polarization_uc_cm2,
                              feature_size_m=tech.feature_size, compat=tc.compat, weights=True,
                              synapse_bits=hw.synapse_bits)
        if hw.mem_cell == "sram":
            sram_lat, sram_en = _sram_write(sa, work, hw, cell, tech, p.temperature_k, tc.compat)
            wu_lat = float(sram_lat.sum()) / n_parallel
            wu_en = float(sram_en.sum())
        else:
            wu_lat = (float(work.total_pulses.sum()) * tc.write_pulse_width_s
                      + float(_write_driver_latency(sa, work, hw, compat=tc.compat).sum())) / n_parallel
            wires = sa.wires
            wu_en = float(array_write_energy(work, cell=hw.mem_cell, cap_row1=wires.cap_row1, cap_row2=wires.cap_row2,
                                             cap_col=wires.cap_col, vdd=tech.vdd, write_voltage=cell_write_voltage,
                                             gate_cap_fefet=tc.gate_cap_fefet_f).sum())
            if cell.access_type == CellAccessType.CMOS_access:  # plus the source-line switch matrix (V2.1 sub-array write energy)
                wu_en += float(_source_line_write_energy(work, hw, tc, wires, tech, p, cell_write_voltage).sum())
        wu_en *= _peak_write_copies(fp, i)
        wu_peak = Phase(wu_lat, wu_en).scale(tc.iterations)
        wu = wu_peak
        n = fp.num_tiles[i]
        tile_leak = inf.leakage_power / n if n else 0.0
        if n and quirks.applies("v21_leakage_omits_interconnect", tc.compat):
            tile_leak -= _interconnect_leakage_w(chip, chip.nm_kind if novel else chip.cm_kind)
        leak_e = (total_tiles - n) * tile_leak * (fw.latency + ag.latency)
        k_ag = 1 if first else 2
        layers.append(TrainingLayerResult(
            index=i, name=network.names[i], num_tiles=n, speedup=fp.speedup[i], utilization=fp.utilization[i],
            fw=fw, ag=ag, wg=wg, wu=wu, fw_peak=fw_peak, ag_peak=ag_peak, wg_peak=wg_peak, wu_peak=wu_peak,
            leakage_power=tile_leak * n, leakage_energy=leak_e,
            adc=Phase(inf.adc_read_latency, inf.adc_read_dynamic_energy).scale(images * k_ag),
            accum=Phase(inf.accum_read_latency, inf.accum_read_dynamic_energy).scale(images * k_ag),
            # the inference breakdown books the buffers and the bus under "other"; V2.1 reports them apart
            array_other=Phase(inf.other_read_latency - inf.buffer_latency - inf.ic_latency,
                              inf.other_read_dynamic_energy - inf.buffer_read_dynamic_energy
                              - inf.ic_read_dynamic_energy).scale(images * k_ag),
            buffer=buffers,
            interconnect=Phase(inf.ic_latency, inf.ic_read_dynamic_energy).scale(images * k_ag),
            dram=d(traffic.breakdown_bits).scale(images),
            write_pulses=int(work.total_pulses.sum()), written_cells=int(work.written_cells.sum())))

    ops = training_operations(network, tc.batch_size, tc.iterations)
    area_wg = wg_unit.area_m2 + accumulator.area_m2
    # V2.1 sub-arrays: its own forward ADC and the BP periphery, in every sub-array of the chip
    area_adc = inference.area_adc + (fw_adc_delta + bp_area.adc) * n_subarrays
    area_accum = inference.area_accum + bp_area.accumulation * n_subarrays
    area_other = inference.area_other + bp_area.other * n_subarrays
    if quirks.applies("v21_pe_area_from_used_subarray_area", tc.compat):
        area = inference.area_array + inference.area_ic + area_adc + area_accum + area_other + area_wg
    else:
        area = (inference.area + area_wg + (area_adc - inference.area_adc) + (area_accum - inference.area_accum)
                + (area_other - inference.area_other))
    return TrainingResult(
        floorplan=fp, layers=tuple(layers), area=area, area_array=inference.area_array,
        area_ic=inference.area_ic, area_adc=area_adc, area_accum=area_accum,
        area_other=area_other, area_wg=area_wg, num_computation=float(ops), batch_size=tc.batch_size,
        iterations=tc.iterations, arrays_written_in_parallel=n_parallel, weight_gradient_bits=grad_bits,
        notes=tuple(dict.fromkeys(notes)))
