"""Row/column address decoders and word-line / bit-line drivers of the CIM subarray.

Models (NeuroSim V1.4 ``RowDecoder.cpp``, ``DecoderDriver.cpp``, ``WLNewDecoderDriver.cpp`` and
``WLDecoderOutput.cpp`` models; NeuroSim manual, "Peripheral circuits"; decoder topology from
NVSim/CACTI):

* `RowDecoder`: 2-bit predecoding (INV + NAND2 stage) followed by ceil(N/2)-input NOR gates, then
  either a 2-inverter output driver (regular WL decoder) or a NAND+INV+INV enable stage that drives
  the complementary transmission-gate controls of a column multiplexer (``mux=True``).  Delay is a
  chain of Horowitz stages; the output stage of the regular decoder also sees the distributed RC of
  the word line.
* `DecoderDriver`: one inverter + transmission gates per row/column, the TGs sized so that their
  on-resistance is ``IR_DROP_TOLERANCE`` of the loaded memory cells' resistance.
* `WLNewDecoderDriver`: NAND2-INV-NAND2 selection and a TG per word line (parallel-read 1T1R).
* `WLDecoderOutput`: NOR2 + INV + TG + pull-down NMOS per word line.

Layout: standard cells of height ``MAX_TRANSISTOR_HEIGHT`` F (per-node FinFET/GAA cell height and
contacted poly pitch below 22 nm), folded into columns (rows) when the available height (width) is
given with ``AreaModify.NONE``; ``MAGIC``/``OVERRIDE`` reshape afterwards.

Fidelity notes (kept as in the model): in the row-mode folded decoder layout the predecoder
inverters contribute no width (the model's column count for them stays 0); the decoder driver's
write latency accumulates over repeated ``calculate_latency`` calls.
Reference bugs fixed here: the model enlarges the pull-down NMOS of `WLDecoderOutput` through a
null pMOS-width pointer (a crash); we pass a zero pMOS width, which is the intended nMOS-only
sizing.  `WLDecoderOutput`'s write latency is its per-operation latency times ``num_write`` (the
model divides by ``num_read`` first, giving NaN for ``num_read = 0``).  The regular decoder's
word-line RC term is skipped when ``res_load = 0`` (the model evaluates 0 * C/col_num, NaN for
``col_num = 0``).
"""
from __future__ import annotations

import math

from .. import formula
from ..constants import (
    CPP_1NM, CPP_2NM, CPP_3NM, CPP_5NM, CPP_7NM, CPP_10NM, CPP_14NM, INV, IR_DROP_TOLERANCE,
    LINEAR_REGION_RATIO, M2_PITCH, M2_PITCH_BY_NODE, M3_PITCH, M3_PITCH_BY_NODE, MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_1NM, MAX_TRANSISTOR_HEIGHT_2NM, MAX_TRANSISTOR_HEIGHT_3NM,
    MAX_TRANSISTOR_HEIGHT_5NM, MAX_TRANSISTOR_HEIGHT_7NM, MAX_TRANSISTOR_HEIGHT_10NM,
    MAX_TRANSISTOR_HEIGHT_14NM, MIN_GAP_BET_GATE_POLY, MIN_NMOS_SIZE, NAND, NMOS, NOR, PMOS, POLY_WIDTH,
    ROW_MODE, AreaModify, CellAccessType, DecoderMode, MemCellType,
)
from .base import Component

__all__ = [
    "RowDecoder", "DecoderDriver", "WLNewDecoderDriver", "WLDecoderOutput",
    "min_cell_height", "min_cell_width", "tg_reference_width",
]

_CELL_HEIGHT_F = {14: MAX_TRANSISTOR_HEIGHT_14NM, 10: MAX_TRANSISTOR_HEIGHT_10NM, 7: MAX_TRANSISTOR_HEIGHT_7NM,
                  5: MAX_TRANSISTOR_HEIGHT_5NM, 3: MAX_TRANSISTOR_HEIGHT_3NM, 2: MAX_TRANSISTOR_HEIGHT_2NM,
                  1: MAX_TRANSISTOR_HEIGHT_1NM}
_CPP_F = {14: CPP_14NM, 10: CPP_10NM, 7: CPP_7NM, 5: CPP_5NM, 3: CPP_3NM, 2: CPP_2NM, 1: CPP_1NM}


def min_cell_height(tech) -> float:
    """Standard-cell height (m): 28 F at planar nodes, the per-node FinFET/GAA cell height below."""
    height_f = _CELL_HEIGHT_F.get(tech.feature_size_in_nano, MAX_TRANSISTOR_HEIGHT)
    return MAX_TRANSISTOR_HEIGHT * tech.feature_size * (height_f / MAX_TRANSISTOR_HEIGHT)


def min_cell_width(tech) -> float:
    """Width (m) of the smallest cell holding one transmission gate (two poly pitches)."""
    pitch_f = POLY_WIDTH + MIN_GAP_BET_GATE_POLY
    width = 2 * pitch_f * tech.feature_size
    return width * (_CPP_F.get(tech.feature_size_in_nano, pitch_f) / pitch_f)


def _metal_pitches(tech) -> tuple[float, float]:
    """M2 and M3 pitch in F at this node."""
    node = tech.feature_size_in_nano
    return (M2_PITCH * (M2_PITCH_BY_NODE.get(node, M2_PITCH) / M2_PITCH),
            M3_PITCH * (M3_PITCH_BY_NODE.get(node, M3_PITCH) / M3_PITCH))


def tg_reference_width(tech) -> float:
    """Gate width (m) at which the TG sizing rule evaluates the on-resistance (2 F below 22 nm)."""
    return (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size


def _stage(res: float, cap: float, width: float, type_: int, ramp_in: float, tech) -> tuple[float, float]:
    """One Horowitz gate stage: (delay, output ramp) for pull resistance ``res`` driving ``cap``."""
    beta = 1.0 / (res * formula.transconductance(width, type_, tech))
    return formula.horowitz(res * cap, beta, ramp_in)


def _tg_resistance(width_n: float, width_p: float, temperature: int, tech) -> float:
    """On-resistance of a transmission gate (nMOS and pMOS in parallel)."""
    return 1.0 / (1.0 / formula.on_resistance_normal(width_n, NMOS, temperature, tech)
                  + 1.0 / formula.on_resistance_normal(width_p, PMOS, temperature, tech))


def _fold_count(size: float, unit: float, count: int, what: str) -> int:
    """Number of rows/columns needed to place ``count`` units of ``unit`` size along ``size``."""
    per_line = int(size / unit)
    if per_line <= 0:
        raise ValueError(f"{what}: the assigned size is smaller than one cell")
    return math.ceil(count / per_line)


class RowDecoder(Component):
    """N-to-2^N decoder with 2-bit predecoding (regular WL decoder or mux-enable decoder)."""

    def initialize(self, mode: DecoderMode, num_addr_row: int, mux: bool, parallel: bool) -> None:
        tech = self.tech
        f = tech.feature_size
        pn = tech.pn_size_ratio
        n = int(num_addr_row)
        self.mode, self.num_addr_row, self.mux, self.parallel = DecoderMode(mode), n, bool(mux), bool(parallel)
        nor_inputs = math.ceil(n / 2)
        self.num_inv = n  # the output-driver inverters are counted separately
        self.num_nand = 4 * (n // 2)
        self.num_nor = 2 ** n if n > 2 else 0
        self.num_metal_connection = self.num_nand + (n % 2) * 2 if n > 2 else 0
        height = f * MAX_TRANSISTOR_HEIGHT
        if self.parallel:  # mux decoder of the parallel read mode: every gate 8x
            self.width_inv_n, self.width_inv_p = 8 * MIN_NMOS_SIZE * f, 8 * pn * MIN_NMOS_SIZE * f
            self.width_nand_n, self.width_nand_p = 8 * 2 * MIN_NMOS_SIZE * f, 8 * pn * MIN_NMOS_SIZE * f
            self.width_nor_n, self.width_nor_p = 8 * MIN_NMOS_SIZE * f, 8 * nor_inputs * pn * MIN_NMOS_SIZE * f
            self.width_driver_inv_n = 8 * 3 * MIN_NMOS_SIZE * f
            self.width_driver_inv_p = 8 * 3 * pn * MIN_NMOS_SIZE * f
        else:
            self.width_inv_n, self.width_inv_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, height, tech)
            self.width_nand_n, self.width_nand_p = formula.enlarge_size(
                2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, height, tech)
            self.width_nor_n, self.width_nor_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, nor_inputs * pn * MIN_NMOS_SIZE * f, height, tech)
            sizing = self.p.sizing_factor_mux if self.mux else self.p.sizing_factor_wl_decoder
            self.width_driver_inv_n = 2 * MIN_NMOS_SIZE * f * sizing
            self.width_driver_inv_p = 2 * pn * MIN_NMOS_SIZE * f * sizing
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        f = tech.feature_size
        m2_pitch, m3_pitch = _metal_pitches(tech)
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        nor_inputs = math.ceil(self.num_addr_row / 2)
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_nand, w_nand = formula.gate_area(NAND, 2, self.width_nand_n, self.width_nand_p, cell_h, tech)
        _, h_nor, w_nor = formula.gate_area(NOR, nor_inputs, self.width_nor_n, self.width_nor_p, cell_h, tech)
        _, h_drv, w_drv = formula.gate_area(INV, 1, self.width_driver_inv_n, self.width_driver_inv_p, cell_h, tech)
        n_nor, n_nand = self.num_nor, self.num_nand

        if self.mode == DecoderMode.REGULAR_ROW:
            # output stage per NOR: mux enable (NAND + 2 INV) or 2 driver inverters
            w_out = w_nand + w_drv * 2 if self.mux else w_drv * 2
            if new_height and option == AreaModify.NONE:
                self.num_col_nor = self._lines(new_height, h_nor, n_nor)
                self.num_col_nand = self._lines(new_height, h_nand, n_nand)
                self.num_col_inv = 0  # as in the model (its guard tests the column count)
                self.height = new_height
                self.width = (w_inv * self.num_col_inv + w_nand * self.num_col_nand
                              + m3_pitch * self.num_metal_connection * f + w_nor * self.num_col_nor)
                self.width += w_out * self.num_col_nor
            else:
                self.height = max(h_nor * n_nor, h_nand * n_nand)
                self.width = w_inv + w_nand + m3_pitch * self.num_metal_connection * f + w_nor + w_out
        else:
            h_out = h_nand + h_drv * 2 if self.mux else h_drv * 2
            if new_width and option == AreaModify.NONE:
                self.num_row_nor = self._lines(new_width, w_nor, n_nor)
                self.num_row_nand = self._lines(new_width, w_nand, n_nand)
                per_row_inv = min(int(new_width / w_inv), self.num_inv)
                if per_row_inv <= 0:
                    raise ValueError("RowDecoder: the assigned width is smaller than one inverter")
                self.num_row_inv = math.ceil(self.num_inv / per_row_inv)
                self.width = new_width
                self.height = (h_inv * self.num_row_inv + h_nand * self.num_row_nand
                               + m2_pitch * self.num_metal_connection * f + h_nor * self.num_row_nor)
                self.height += h_out * self.num_row_nor
            else:
                self.height = h_inv + h_nand + m2_pitch * self.num_metal_connection * f + h_nor + h_out
                self.width = max(w_nor * n_nor, w_nand * n_nand)
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        if n_nand:
            self.cap_nand_input, self.cap_nand_output = formula.gate_capacitance(
                NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        else:
            self.cap_nand_input = self.cap_nand_output = 0.0
        if n_nor:
            self.cap_nor_input, self.cap_nor_output = formula.gate_capacitance(
                NOR, nor_inputs, self.width_nor_n, self.width_nor_p, h_nor, tech)
        else:
            self.cap_nor_input = self.cap_nor_output = 0.0
        self.cap_driver_inv_input, self.cap_driver_inv_output = formula.gate_capacitance(
            INV, 1, self.width_driver_inv_n, self.width_driver_inv_p, h_drv, tech)

    @staticmethod
    def _lines(size: float, unit: float, count: int) -> int:
        """Columns (rows) of gates of pitch ``unit`` that hold ``count`` gates within ``size``."""
        per_line = min(int(size / unit), count)
        return math.ceil(count / per_line) if per_line > 0 else 0

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float, res_load: float,
                          col_num: float, num_read, num_write) -> None:
        """``cap_load1``: WL load (regular) or nMOS TG gates (mux); ``cap_load2``: pMOS TG gates (mux).

        ``res_load``/``col_num``: word-line resistance and number of cells on it (regular decoder).
        """
        tech = self.tech
        temp = self.p.temperature_k
        self.ramp_input, self.cap_load1, self.cap_load2 = ramp_input, cap_load1, cap_load2
        delay = 0.0
        ramp_nand = ramp_nor = 1e20

        res = formula.on_resistance(self.width_inv_n, NMOS, temp, tech)
        load = self.cap_inv_output + (self.cap_nand_input * 2 if self.num_nand else cap_load1)
        d, ramp_inv = _stage(res, load, self.width_inv_n, NMOS, ramp_input, tech)
        delay += d
        self.ramp_output = ramp_inv
        if self.num_nand:
            res = formula.on_resistance(self.width_nand_n, NMOS, temp, tech) * 2
            load = self.cap_nand_output + (self.cap_nor_input * self.num_nor / 4 if self.num_nor else cap_load1)
            d, ramp_nand = _stage(res, load, self.width_nand_n, NMOS, ramp_inv, tech)
            delay += d
            self.ramp_output = ramp_nand
        if self.num_nor:
            res = formula.on_resistance(self.width_nor_p, PMOS, temp, tech) * 2
            load = self.cap_nor_output + (self.cap_nand_input if self.mux else self.cap_inv_input)
            d, ramp_nor = _stage(res, load, self.width_nor_p, PMOS, ramp_nand, tech)
            delay += d
            self.ramp_output = ramp_nor

        if self.mux:  # enable stage: NAND, then INV driving the nMOS gates, INV driving the pMOS gates
            res = formula.on_resistance(self.width_nand_n, NMOS, temp, tech)
            d, ramp_nand = _stage(res, self.cap_nand_output + self.cap_inv_input, self.width_nand_n, NMOS,
                                  ramp_nor, tech)
            delay += d
            res = formula.on_resistance(self.width_driver_inv_p, PMOS, temp, tech)
            d, ramp_inv = _stage(res, self.cap_driver_inv_output + self.cap_driver_inv_input + cap_load1,
                                 self.width_driver_inv_p, PMOS, ramp_nand, tech)
            delay += d
            res = formula.on_resistance(self.width_driver_inv_n, NMOS, temp, tech)
            d, _ = _stage(res, self.cap_driver_inv_output + cap_load2, self.width_driver_inv_n, NMOS,
                          ramp_inv, tech)
            delay += d
        else:  # two output inverters, the second one also charging the distributed WL RC
            res = formula.on_resistance(self.width_driver_inv_n, NMOS, temp, tech)
            d, ramp_inv = _stage(res, self.cap_driver_inv_output + self.cap_driver_inv_input,
                                 self.width_driver_inv_n, NMOS, ramp_nor, tech)
            delay += d
            res = formula.on_resistance(self.width_driver_inv_p, PMOS, temp, tech)
            gm = formula.transconductance(self.width_driver_inv_p, PMOS, tech)
            tr = res * (self.cap_driver_inv_output + cap_load1)
            if res_load:
                tr += (res_load * (cap_load1 + cap_load1 / col_num)) / 2
            d, _ = formula.horowitz(tr, 1.0 / (res * gm), ramp_inv)
            delay += d
        self.ramp_output = ramp_inv
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read, num_write) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        vdd2 = tech.vdd * tech.vdd
        n = self.num_addr_row
        nor_inputs = math.ceil(n / 2)
        leak_nand = formula.gate_leakage(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech)
        leak_inv = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech)
        leakage = leak_inv * tech.vdd * self.num_inv
        leakage += leak_nand * tech.vdd * self.num_nand
        leakage += formula.gate_leakage(NOR, nor_inputs, self.width_nor_n, self.width_nor_p, temp, tech) \
            * tech.vdd * self.num_nor
        if self.mux:
            leakage += leak_nand * tech.vdd * self.num_nor
            leakage += leak_inv * tech.vdd * 2 * self.num_nor
        else:
            leakage += formula.gate_leakage(INV, 1, self.width_driver_inv_n, self.width_driver_inv_p, temp, tech) \
                * tech.vdd * 2 * self.num_nor
        self.leakage = leakage

        # all address bits switch 0 -> 1; one NAND per group of 4 and one NOR output activated
        paired = (n // 2) * 2
        energy = (self.cap_inv_input + self.cap_nand_input * 2) * vdd2 * paired
        energy += (self.cap_inv_input + self.cap_nor_input * self.num_nor / 2) * vdd2 * (n - paired)
        energy += (self.cap_nand_output + self.cap_nor_input * self.num_nor / 4) * vdd2 * self.num_nand / 4
        energy += (self.cap_nor_output + (self.cap_nand_input if self.mux else self.cap_inv_input)) * vdd2
        if self.mux:
            energy += (self.cap_nand_output + self.cap_driver_inv_input) * vdd2
            energy += (self.cap_driver_inv_output + self.cap_driver_inv_input) * vdd2
            energy += self.cap_driver_inv_output * vdd2
        else:
            energy += (self.cap_driver_inv_input + self.cap_driver_inv_output) * vdd2 * 2
        self.read_dynamic_energy = energy * num_read
        self.write_dynamic_energy = energy * num_write
        if self.p.validated:
            self.read_dynamic_energy = self.read_dynamic_energy * self.p.epsilon  # control-circuit activity


def _res_mem_cell_on(cell) -> float:
    """On-state resistance of one memory cell at the read voltage, access transistor included (1T1R)."""
    if cell.access_type == CellAccessType.CMOS_access and cell.mem_cell_type != MemCellType.SRAM:
        return cell.res_cell_access + cell.resistance_on
    return cell.resistance_on


class DecoderDriver(Component):
    """Per-row (per-column) inverter + transmission gates passing the read/write voltages."""

    def initialize(self, mode: int, num_output: int, num_load: int) -> None:
        tech = self.tech
        f = tech.feature_size
        temp = self.p.temperature_k
        self.mode, self.num_output = mode, int(num_output)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        # TG sized for IR_DROP_TOLERANCE of the parallel on-resistance of the loaded cells
        res_target = _res_mem_cell_on(self.cell) / num_load * IR_DROP_TOLERANCE
        w_ref = tg_reference_width(tech)
        self.width_tg_n = formula.on_resistance_normal(w_ref, NMOS, temp, tech) * f / (res_target * 2)
        self.width_tg_p = formula.on_resistance_normal(w_ref, PMOS, temp, tech) * f / (res_target * 2)
        self.res_tg = _tg_resistance(self.width_tg_n, self.width_tg_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        cell_h, cell_w = min_cell_height(tech), min_cell_width(tech)
        n = self.num_output
        if new_height and option == AreaModify.NONE:
            self.num_col_tg = _fold_count(new_height, cell_h, n, "DecoderDriver")
            self.tg_height = new_height / math.ceil(n / self.num_col_tg)
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
        elif new_width and option == AreaModify.NONE:
            self.num_row_tg = _fold_count(new_width, cell_w, n, "DecoderDriver")
            self.tg_width = new_width / math.ceil(n / self.num_row_tg)
            num_fold = int(self.tg_width / (0.5 * cell_w)) - 1
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, num_fold)
        else:
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, cell_h, tech)
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)

        num_tg = 3 if self.cell.access_type == CellAccessType.CMOS_access else 2  # 1T1R: 3 TGs, crossbar: 2
        if self.mode == ROW_MODE:
            h_unit, w_unit = max(h_inv, h_tg), w_inv + w_tg * num_tg
            if new_height and option == AreaModify.NONE:
                self.height = new_height
                self.width = w_unit * min(_fold_count(new_height, h_unit, n, "DecoderDriver"), n)
            else:
                self.height, self.width = h_unit * n, w_unit
        else:
            h_unit, w_unit = h_inv + h_tg * num_tg, max(w_inv, w_tg)
            if new_width and option == AreaModify.NONE:
                self.height = h_unit * min(_fold_count(new_width, w_unit, n, "DecoderDriver"), n)
                self.width = new_width
            else:
                self.height, self.width = h_unit, w_unit * n
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float, res_load: float,
                          num_read, num_write) -> None:
        """``cap_load1``: worst-case line load (1T1R SL, crossbar WL/BL); ``cap_load2`` is not used by the model."""
        self.ramp_input, self.cap_load1, self.cap_load2, self.res_load = ramp_input, cap_load1, cap_load2, res_load
        cap_output = self.cap_tg_drain * 4 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        tr = self.res_tg * (cap_output + cap_load1) + res_load * cap_load1 / 2
        delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.read_latency = delay * num_read
        self.write_latency = (self.write_latency + delay) * num_write  # accumulates, as in the model

    def calculate_power(self, num_read_cell_per_op, num_write_cell_per_op, num_read, num_write) -> None:
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        n = self.num_output
        self.leakage = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k,
                                            tech) * tech.vdd * n
        g_n, g_p, drain = self.cap_tg_gate_n, self.cap_tg_gate_p, self.cap_tg_drain
        vw2 = cell.write_voltage * cell.write_voltage
        half_vw2 = cell.write_voltage / 2 * cell.write_voltage / 2
        if cell.access_type == CellAccessType.CMOS_access:  # 1T1R
            read = (self.cap_inv_input + g_n * 2 + g_p) * vdd2 * num_read_cell_per_op
            read = read + (self.cap_inv_output + g_p * 2 + g_n) * vdd2 * num_read_cell_per_op
            write = (self.cap_inv_input + g_n * 2 + g_p) * vdd2 * num_write_cell_per_op
            write = write + (self.cap_inv_output + g_p * 2 + g_n) * vdd2 * num_write_cell_per_op
            write = write + (drain * 2) * vw2 * num_write_cell_per_op  # RESET (SL) is the worst case
        else:  # crossbar: unselected lines sit at the read voltage
            vr2 = cell.read_voltage * cell.read_voltage
            read = (self.cap_inv_input + g_n + g_p) * vdd2 * num_read_cell_per_op
            read = read + (self.cap_inv_output + g_p + g_n) * vdd2 * num_read_cell_per_op
            read = read + (drain * 2) * vr2 * (n - num_read_cell_per_op)
            write = (self.cap_inv_input + g_n + g_p) * vdd2 * num_write_cell_per_op
            write = write + (self.cap_inv_output + g_p + g_n) * vdd2 * num_write_cell_per_op
            if self.mode == ROW_MODE:
                write = write + (drain * 2) * vw2 * num_write_cell_per_op
            write = write + (drain * 2) * half_vw2 * (n - num_write_cell_per_op)
        self.read_dynamic_energy = read * num_read
        self.write_dynamic_energy = write * num_write
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency
        if self.write_latency:
            self.write_power = self.write_dynamic_energy / self.write_latency


class WLNewDecoderDriver(Component):
    """Word-line decoder driver of the parallel-read 1T1R array: NAND2-INV-NAND2 + TG per row."""

    def initialize(self, num_wl_row: int) -> None:
        tech = self.tech
        f = tech.feature_size
        pn = tech.pn_size_ratio
        h = f * MAX_TRANSISTOR_HEIGHT
        self.num_wl_row = int(num_wl_row)
        self.width_nand_n, self.width_nand_p = formula.enlarge_size(2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f,
                                                                    h, tech)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        cell_h = min_cell_height(tech)
        rows = self.num_wl_row
        _, h_nand, w_nand = formula.gate_area(NAND, 2, self.width_nand_n, self.width_nand_p, cell_h, tech)
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, cell_h, tech)
        if new_height and option == AreaModify.NONE:
            tg_height = _tg_height_for_rows(new_height, rows, cell_h, "WLNewDecoderDriver")
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, tg_height, tech)
            h_unit = max(h_inv, h_nand, h_tg)
            self.height = new_height
            self.width = (3 * w_nand + w_inv + 2 * w_tg) * _fold_count(new_height, h_unit, rows, "WLNewDecoderDriver")
        else:
            self.height = max(h_inv, h_nand, h_tg) * rows
            self.width = 3 * w_nand + w_inv + 2 * w_tg
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        res_n = formula.on_resistance_normal(self.width_tg_n, NMOS, temp, tech) * LINEAR_REGION_RATIO
        res_p = formula.on_resistance_normal(self.width_tg_p, PMOS, temp, tech) * LINEAR_REGION_RATIO
        self.res_tg = 1.0 / (1.0 / res_n + 1.0 / res_p)
        self.cap_nand_input, self.cap_nand_output = formula.gate_capacitance(
            NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        # every logic stage is evaluated with the input ramp, as in the model
        res_nand = formula.on_resistance(self.width_nand_n, NMOS, temp, tech) * 2  # 2 nMOS in series
        beta_nand = 1.0 / (res_nand * formula.transconductance(self.width_nand_n, NMOS, tech))
        delay, _ = formula.horowitz(res_nand * (self.cap_nand_output + self.cap_inv_input), beta_nand, ramp_input)
        res_inv = formula.on_resistance(self.width_inv_p, PMOS, temp, tech)
        beta_inv = 1.0 / (res_inv * formula.transconductance(self.width_nand_p, PMOS, tech))
        d, _ = formula.horowitz(res_inv * (self.cap_inv_output + 2 * self.cap_nand_input), beta_inv, ramp_input)
        delay += d
        d, _ = formula.horowitz(res_nand * (self.cap_nand_output + self.cap_tg_gate_p + self.cap_tg_gate_n),
                                beta_nand, ramp_input)
        delay += d
        tr = self.res_tg * (2 * self.cap_tg_drain + cap_load) + res_load * cap_load / 2  # Elmore, TG + WL
        d, self.ramp_output = formula.horowitz(tr, 0, 1e20)
        delay += d
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read, num_write) -> None:
        tech, cell = self.tech, self.cell
        temp = self.p.temperature_k
        vdd2 = tech.vdd * tech.vdd
        rows = self.num_wl_row
        self.leakage = formula.gate_leakage(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech) \
            * tech.vdd * rows * 2
        self.leakage += formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) \
            * tech.vdd * rows * 2
        # one row activated
        logic = self.cap_nand_input * vdd2
        logic += (self.cap_inv_output + self.cap_tg_gate_n) * vdd2
        logic += (self.cap_nand_output + self.cap_tg_gate_n + self.cap_tg_gate_p) * vdd2
        self.read_dynamic_energy = (logic + self.cap_tg_drain * cell.read_voltage * cell.read_voltage) * num_read
        self.write_dynamic_energy = (logic + self.cap_tg_drain * cell.write_voltage * cell.write_voltage) * num_write


def _tg_height_for_rows(height: float, rows: int, cell_h: float, what: str) -> float:
    """Height of one per-row TG when ``rows`` TGs share ``height`` (in several columns if too short)."""
    tg_height = height / rows
    if tg_height < cell_h:
        num_col = math.ceil(cell_h / tg_height)
        if num_col > rows:
            raise ValueError(f"{what}: the pass gate is taller than the array")
        tg_height = height / math.ceil(rows / num_col)
    return tg_height


class WLDecoderOutput(Component):
    """Word-line decoder output stage: NOR2 + INV + TG + pull-down nMOS per row."""

    def initialize(self, num_wl_row: int, multifunctional: bool, neuro: bool) -> None:
        tech = self.tech
        f = tech.feature_size
        pn = tech.pn_size_ratio
        h = f * MAX_TRANSISTOR_HEIGHT
        self.num_wl_row, self.multifunctional, self.neuro = int(num_wl_row), bool(multifunctional), bool(neuro)
        self.width_nor_n, self.width_nor_p = formula.enlarge_size(MIN_NMOS_SIZE * f, 2 * pn * MIN_NMOS_SIZE * f,
                                                                  h, tech)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.width_nmos, _ = formula.enlarge_size(MIN_NMOS_SIZE * f, 0.0, h, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        cell_h = min_cell_height(tech)
        rows = self.num_wl_row
        _, h_nor, w_nor = formula.gate_area(NOR, 2, self.width_nor_n, self.width_nor_p, cell_h, tech)
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, cell_h, tech)
        _, h_nmos, w_nmos = formula.gate_area(INV, 1, self.width_nmos, 0.0, cell_h, tech)
        if new_height and option == AreaModify.NONE:
            tg_height = _tg_height_for_rows(new_height, rows, cell_h, "WLDecoderOutput")
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, tg_height, tech)
            h_unit = max(h_inv, h_nor, h_nmos, h_tg)
            self.height = new_height
            self.width = (w_nor + w_inv + w_nmos + w_tg) * _fold_count(new_height, h_unit, rows, "WLDecoderOutput")
        else:
            self.height = max(h_inv, h_nor, h_tg, h_nmos) * rows
            self.width = w_nor + w_inv + w_tg + w_nmos
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        res_n = formula.on_resistance(self.width_tg_n, NMOS, temp, tech)
        res_p = formula.on_resistance(self.width_tg_p, PMOS, temp, tech)
        self.res_tg = 1.0 / (1.0 / res_n + 1.0 / res_p)
        self.cap_nor_input, self.cap_nor_output = formula.gate_capacitance(
            NOR, 2, self.width_nor_n, self.width_nor_p, h_nor, tech)
        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)
        self.cap_nmos_gate, self.cap_nmos_drain = formula.gate_capacitance(INV, 1, self.width_nmos, 0.0, h_nmos, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        tech = self.tech
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        res = formula.on_resistance(self.width_nor_p, PMOS, self.p.temperature_k, tech) * 2
        load = self.cap_nor_output + self.cap_inv_input + self.cap_tg_gate_p + self.cap_nmos_gate
        delay, _ = _stage(res, load, self.width_nor_p, PMOS, ramp_input, tech)
        tr = self.res_tg * (self.cap_tg_drain + self.cap_nmos_drain + cap_load) + res_load * cap_load / 2
        d, self.ramp_output = formula.horowitz(tr, 0, 1e20)
        delay += d
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read, num_write) -> None:
        tech, cell = self.tech, self.cell
        temp = self.p.temperature_k
        vdd2 = tech.vdd * tech.vdd
        va2 = cell.access_voltage * cell.access_voltage
        rows = self.num_wl_row
        self.leakage = formula.gate_leakage(NOR, 2, self.width_nor_n, self.width_nor_p, temp, tech) * tech.vdd * rows
        self.leakage += formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * tech.vdd * rows
        self.leakage += formula.gate_leakage(INV, 1, self.width_nmos, 0.0, temp, tech) * tech.vdd * rows
        one_row = self.cap_nor_input * vdd2 + (self.cap_inv_output + self.cap_tg_gate_n) * vdd2 \
            + self.cap_tg_drain * va2
        if self.multifunctional and not self.neuro:  # memory mode: one row
            read = one_row
        else:  # neuro mode: all rows open
            read = self.cap_nor_input * vdd2 * rows
            read += (self.cap_inv_output + self.cap_tg_gate_n) * vdd2 * (rows - 1)
            read += self.cap_tg_drain * va2 * (rows - 1)
        self.read_dynamic_energy = read * num_read
        self.write_dynamic_energy = one_row * num_write
