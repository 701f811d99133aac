"""Transmission-gate switching circuits of the CIM subarray periphery.

Models (NeuroSim V1.4 ``SwitchMatrix.cpp``, ``NewSwitchMatrix.cpp``, ``Mux.cpp``, ``NewMux.cpp``,
``DeMux.cpp`` and ``LevelShifter.cpp`` models; NeuroSim manual, "Peripheral circuits"):

* `SwitchMatrix`: one TG pair per row (column) plus a DFF scan chain selecting it.  The TGs are
  sized from the line resistance they drive (scaled by ``switch_matrix_size_ratio``) and the
  read delay is the buffered distributed-RC propagation delay of the word line
  (0.69 RC + 0.38 r c L^2 per section, with the pass-through ``unit_cap``/``unit_res`` per cell
  and ``drive_cap_in`` of the repeaters; NeuroSim's global ``param->unitcap/unitres/drivecapin``).
* `NewSwitchMatrix`: 3 TGs per row of the parallel-read 1T1R array + DFF scan chain.
* `Mux`: analog column multiplexer (TGs sized for ``IR_DROP_TOLERANCE`` of the cell access
  resistance) or digital multiplexer of minimum TGs (``fpga=True``); delay 2.3 RC (0 -> 90 %).
* `NewMux`: 3 TGs per column (1T1R write/read selection).
* `DeMux`: TG demultiplexer with one enable inverter.
* `LevelShifter`: low-to-high voltage level shifter driving the write voltage (IO transistors).

Read-path energies accept per-vector arrays for the activity / read-count arguments (NumPy
broadcasting; the result then has the same leading vector axis).

Fidelity notes (kept as in the model): `NewSwitchMatrix` computes the TG resistance with nMOS
on-resistance for both devices; `DeMux` truncates its per-TG width to an integer number of metres
(so its folded layout uses ``num_fold = -1``); `LevelShifter` reads the row activity given at
``initialize`` (its ``calculate_power`` activity argument is ignored by the model) and uses the load
capacitance of the last ``calculate_latency`` call for its write energy.
Reference bug fixed here: `NewMux` never sets its TG resistance (an uninitialised value is used
in its delay); we take the on-resistance of its minimum TG (nMOS and pMOS in parallel), as
`Mux` does for its digital TGs.  ``res_tg`` may be overridden after ``initialize``.
"""
from __future__ import annotations

import math

import numpy as np

from .. import formula
from ..constants import (
    INV, IR_DROP_TOLERANCE, LINEAR_REGION_RATIO, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS, ROW_MODE,
    AreaModify, CellAccessType,
)
from .base import Component
from .decoders import _fold_count, _tg_resistance, min_cell_height, min_cell_width, tg_reference_width
from .dff import DFF

__all__ = ["SwitchMatrix", "NewSwitchMatrix", "Mux", "NewMux", "DeMux", "LevelShifter"]


def _size_tg(res_target: float, linear_region: bool, temperature: int, tech) -> tuple[float, float]:
    """TG widths (nMOS, pMOS) whose parallel on-resistance is ``res_target`` (each device 2x).

    Widths are rounded up to whole fin pairs below 22 nm and kept at least 1 F above.
    """
    f = tech.feature_size
    w_ref = tg_reference_width(tech)
    widths = []
    for type_ in (NMOS, PMOS):
        r_unit = formula.on_resistance_normal(w_ref, type_, temperature, tech) * f
        if linear_region:
            r_unit *= LINEAR_REGION_RATIO
        width = r_unit / (res_target * 2)
        if tech.feature_size_in_nano <= 14:
            width = 2 * math.ceil(width / f) * f
        else:
            width = max(width, f)
        widths.append(width)
    return widths[0], widths[1]


def _only_if_writing(num_write, value):
    """``value`` where ``num_write`` is non-zero, else 0 (scalar or per-vector)."""
    if np.ndim(num_write) == 0:
        return value if num_write else 0.0
    return np.where(np.asarray(num_write) != 0, value, 0.0)


class SwitchMatrix(Component):
    """Row (WL/BL) or column (SL) switch matrix: TG pair per line + DFF scan chain."""

    def __init__(self, p, tech, cell=None):
        super().__init__(p, tech, cell)
        self.dff = DFF(p, tech, cell)

    def initialize(self, mode: int, num_output: int, res_tg: float, neuro: bool, parallel_write: bool,
                   activity_row_read: float, activity_col_write: float, num_write_cell_per_operation_memory: int,
                   num_write_cell_per_operation_neuro: int, num_write_pulse: float, clk_freq: float) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        self.mode, self.num_output = mode, int(num_output)
        self.neuro, self.parallel_write = bool(neuro), bool(parallel_write)
        self.activity_row_read, self.activity_col_write = activity_row_read, activity_col_write
        self.num_write_cell_per_operation_memory = int(num_write_cell_per_operation_memory)
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        self.num_write_pulse, self.clk_freq = num_write_pulse, clk_freq
        self.dff.initialize(self.num_output, clk_freq)
        self.width_tg_n, self.width_tg_p = _size_tg(res_tg * self.p.switch_matrix_size_ratio, True, temp, tech)
        self.res_tg = _tg_resistance(self.width_tg_n, self.width_tg_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        n = self.num_output
        if self.mode == ROW_MODE:
            cell_h = min_cell_height(tech)
            if new_height and option == AreaModify.NONE:
                self.num_col_tg_pair = _fold_count(new_height, cell_h, n, "SwitchMatrix")
                self.tg_height = new_height / math.ceil(n / self.num_col_tg_pair)
                _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
                self.dff.calculate_area(new_height, 0.0, AreaModify.NONE)
                self.height = new_height
                self.width = (w_tg * 2) * self.num_col_tg_pair + self.dff.width
            else:
                _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, cell_h, tech)
                self.height = h_tg * n
                self.dff.calculate_area(self.height, 0.0, AreaModify.NONE)
                self.width = (w_tg * 2) + self.dff.width
        else:
            if new_width and option == AreaModify.NONE:
                cell_w = min_cell_width(tech)
                self.num_row_tg_pair = _fold_count(new_width, cell_w * 2, n, "SwitchMatrix")
                self.tg_width = new_width / math.ceil(n / self.num_row_tg_pair) / 2  # 2 TGs per pair
                num_fold = int(self.tg_width / (0.5 * cell_w)) - 1
                _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, num_fold)
                self.dff.calculate_area(0.0, new_width, AreaModify.NONE)
                self.width = new_width
                self.height = h_tg * self.num_row_tg_pair + self.dff.height
            else:
                _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, 1)
                self.width = w_tg * 2 * n
                self.dff.calculate_area(0.0, self.width, AreaModify.NONE)
                self.height = h_tg + self.dff.height
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write, *,
                          unit_cap: float, unit_res: float, drive_cap_in: float = 0.0) -> None:
        """Read delay: TG + distributed line RC in ``buffer_number + 1`` repeated sections.

        ``unit_cap``/``unit_res``: line capacitance / resistance per cell (NeuroSim ``param->unitcap`` /
        ``unitres``); ``drive_cap_in``: input capacitance of a repeater (``param->drivecapin``).
        ``cap_load``/``res_load`` are stored but not used by the model's delay.
        """
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        self.dff.calculate_latency(1e20, num_read)
        cap_output = self.cap_tg_drain * 2 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        buffers = self.p.buffer_number
        sections = self.p.num_col_subarray / (buffers + 1)
        tr = self.res_tg * cap_output * 0.69 + unit_cap * sections * (0.69 * self.res_tg + 0.38 * unit_res * sections)
        if buffers != 0:
            tr += (unit_cap * sections * 0.69 + 0.69 * self.res_tg) * drive_cap_in
        self.read_latency = tr * num_read
        write_delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.write_latency = write_delay * num_write + self.dff.read_latency  # scan-in of the DFF chain

    def calculate_power(self, num_read, num_write, activity_row_read, activity_col_write) -> None:
        """``num_read`` / ``activity_row_read`` may be per-vector arrays."""
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        vr2 = cell.read_voltage * cell.read_voltage
        vw2 = cell.write_voltage * cell.write_voltage
        half_vw2 = cell.write_voltage / 2 * cell.write_voltage / 2
        n = self.num_output
        drain3 = self.cap_tg_drain * 3
        gates = self.cap_tg_gate_n + self.cap_tg_gate_p
        self.dff.calculate_power(num_read, n, False)  # every DFF passes a bit
        self.leakage = self.dff.leakage  # only the DFFs leak

        if not self.neuro:  # memory mode: one line
            read = drain3 * vr2 + gates * vdd2
        elif self.mode == ROW_MODE:
            read = drain3 * vr2 * n * activity_row_read + gates * vdd2 * n * activity_row_read
        else:  # no read energy in column mode
            read = 0.0
        self.read_dynamic_energy = read * num_read + self.dff.read_dynamic_energy

        # write: 2-step write, on average half SET and half RESET
        mem_cells = min(self.num_write_cell_per_operation_memory, n)
        neuro_cells = np.minimum(self.num_write_cell_per_operation_neuro, n * activity_col_write)
        pulses = self.num_write_pulse
        if cell.access_type == CellAccessType.CMOS_access:  # 1T1R
            if self.mode == ROW_MODE:
                write = gates * vdd2 * 2  # selected row; x2 switching from one row to the next
            elif not self.neuro:
                write = drain3 * vw2 * (n - mem_cells // 2)  # unselected columns (SET)
                write += drain3 * vw2 * mem_cells / 2  # selected columns (RESET)
                write += gates * vdd2 * n
            else:
                write = drain3 * vw2 * pulses * neuro_cells / 2  # LTP, selected columns
                write = write + drain3 * vw2 * (n - neuro_cells / 2)  # unselected columns
                write = write + drain3 * vw2 * pulses * neuro_cells / 2  # LTD, selected columns
                write = write + gates * vdd2 * n
        elif self.mode == ROW_MODE:  # crossbar rows
            if self.neuro and self.parallel_write:
                write = drain3 * vw2 * n + gates * vdd2 * n
            else:
                write = drain3 * vw2  # selected row
                write += drain3 * half_vw2 * (n - 1)  # unselected rows at Vw/2
                write += gates * vdd2 * n
        elif not self.neuro:  # crossbar columns, memory mode
            write = drain3 * vw2 * mem_cells / 2
            write += drain3 * half_vw2 * n
            write += gates * vdd2 * n
        elif self.parallel_write:
            write = drain3 * vw2 * pulses * n * activity_col_write + gates * vdd2 * n
        else:
            write = drain3 * vw2 * pulses * neuro_cells / 2  # LTP
            write = write + drain3 * vw2 * pulses * neuro_cells / 2  # LTD
            write = write + drain3 * half_vw2 * n  # unselected columns
            write = write + gates * vdd2 * n
        self.write_dynamic_energy = write * num_write + self.dff.read_dynamic_energy


class NewSwitchMatrix(Component):
    """Word-line switch matrix of the parallel-read 1T1R array: 3 TGs per row + DFF scan chain."""

    def __init__(self, p, tech, cell=None):
        super().__init__(p, tech, cell)
        self.dff = DFF(p, tech, cell)

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        tech = self.tech
        f = tech.feature_size
        temp = self.p.temperature_k
        ratio = self.p.new_switch_matrix_size_ratio
        self.num_output, self.activity_row_read, self.clk_freq = int(num_output), activity_row_read, clk_freq
        self.dff.initialize(self.num_output, clk_freq)
        self.width_tg_n = MIN_NMOS_SIZE * f * ratio
        self.width_tg_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f * ratio
        self.res_tg = 1.0 / (1.0 / formula.on_resistance_normal(self.width_tg_n, NMOS, temp, tech)
                             + 1.0 / formula.on_resistance_normal(self.width_tg_p, NMOS, temp, tech))
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        n = self.num_output
        cell_h = min_cell_height(tech)
        if new_height and option == AreaModify.NONE:
            self.num_col_tg = _fold_count(new_height, cell_h, n, "NewSwitchMatrix")
            self.tg_height = new_height / math.ceil(n / self.num_col_tg)
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
            self.dff.calculate_area(new_height, 0.0, AreaModify.NONE)
            self.height = new_height
            self.width = (w_tg * 4) * self.num_col_tg + self.dff.width
        else:
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p, cell_h, tech)
            self.height = h_tg * n
            self.dff.calculate_area(self.height, 0.0, AreaModify.NONE)
            self.width = (w_tg * 4) + self.dff.width
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        self.dff.calculate_latency(1e20, num_read)
        cap_output = self.cap_tg_drain * 2 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        tr = self.res_tg * (cap_output + cap_load) + res_load * cap_load / 2  # Elmore: TG + line
        delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write + _only_if_writing(num_write, self.dff.read_latency)

    def calculate_power(self, num_read, num_write, activity_row_read) -> None:
        """``num_read`` / ``activity_row_read`` may be per-vector arrays."""
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        va2 = cell.access_voltage * cell.access_voltage
        n = self.num_output
        gates = self.cap_tg_gate_n + self.cap_tg_gate_p
        self.dff.calculate_power(num_read, n, False)
        self.leakage = self.dff.leakage
        active = n * activity_row_read
        read = (self.cap_tg_drain * 2) * va2 * active  # 1 TG passes Vaccess to the access gate
        read = read + (self.cap_tg_drain * 3) * cell.read_voltage * cell.read_voltage * active  # 2 TGs pass Vread
        read = read + gates * 3 * vdd2 * active  # 3 TGs open
        self.read_dynamic_energy = read * num_read + self.dff.read_dynamic_energy
        write = (self.cap_tg_drain * 2) * va2
        write += gates * 2 * vdd2 * 2  # 2 TGs, switching from one selected row to the next
        write += gates * vdd2  # one TG always open while writing
        self.write_dynamic_energy = write * num_write + _only_if_writing(num_write, self.dff.read_dynamic_energy)


class Mux(Component):
    """Column multiplexer: ``num_input`` outputs, each selecting 1 of ``num_selection`` columns."""

    def initialize(self, num_input: int, num_selection: int, res_tg: float, fpga: bool) -> None:
        tech = self.tech
        f = tech.feature_size
        temp = self.p.temperature_k
        self.num_input, self.num_selection, self.fpga = int(num_input), int(num_selection), bool(fpga)
        if self.fpga:  # digital mux: standard TG
            self.width_tg_n, self.width_tg_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        else:  # analog mux: TG resistance a fraction of the cell access resistance
            self.width_tg_n, self.width_tg_p = _size_tg(res_tg * IR_DROP_TOLERANCE, False, temp, tech)
        self.res_tg = _tg_resistance(self.width_tg_n, self.width_tg_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        num_tg = self.num_input * self.num_selection
        fold = new_width and option == AreaModify.NONE
        if self.fpga:
            _, h_tg, w_tg = formula.gate_area(INV, 1, self.width_tg_n, self.width_tg_p,
                                              tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
            if fold:
                if new_width < w_tg:
                    raise ValueError("Mux: the assigned width is smaller than one transmission gate")
                per_row = min(int(new_width / w_tg), num_tg)
                self.num_row_tg = math.ceil(num_tg / per_row)
                self.width, self.height = new_width, h_tg * self.num_row_tg
            else:  # one row of TGs
                self.width, self.height = w_tg * num_tg, h_tg
        elif fold:
            cell_w = min_cell_width(tech)
            self.num_row_tg = _fold_count(new_width, cell_w, num_tg, "Mux")
            self.tg_width = new_width / math.ceil(num_tg / self.num_row_tg)
            num_fold = int(self.tg_width / (0.5 * cell_w)) - 1
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, num_fold)
            self.width, self.height = new_width, h_tg * self.num_row_tg
        else:  # pass gates without folding
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, 1)
            self.height, self.width = h_tg, w_tg * num_tg
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.width_tg_shared = self.width / self.num_input
        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read) -> None:
        """2.3 RC (0 -> 90 %) of the TG (gate capacitance split half/half) into ``cap_load``."""
        self.ramp_input, self.cap_load = ramp_input, cap_load
        tr = self.res_tg * (self.cap_tg_drain + 0.5 * self.cap_tg_gate_n + 0.5 * self.cap_tg_gate_p + cap_load)
        self.read_latency = 2.3 * tr * num_read

    def calculate_power(self, num_read) -> None:
        tech, cell = self.tech, self.cell
        self.leakage = 0.0
        energy = self.cap_tg_gate_n * self.num_input * tech.vdd * tech.vdd  # selected TGs turn on
        energy += (self.cap_tg_drain * 2) * self.num_input * cell.read_voltage * cell.read_voltage
        self.read_dynamic_energy = energy * num_read


class NewMux(Component):
    """Per-column 3-TG multiplexer of the 1T1R array (read / LTP / LTD voltages)."""

    def initialize(self, num_input: int) -> None:
        tech = self.tech
        f = tech.feature_size
        self.num_input = int(num_input)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        self.res_tg = _tg_resistance(self.width_tg_n, self.width_tg_p, self.p.temperature_k, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        num_tg = self.num_input * 3  # 3 TGs per mux
        if new_width and option == AreaModify.NONE:
            cell_w = min_cell_width(tech)
            self.num_row_tg_pair = _fold_count(new_width, cell_w * 2, num_tg, "NewMux")
            self.tg_width = new_width / math.ceil(num_tg / self.num_row_tg_pair) / 2
            num_fold = int(self.tg_width / (0.5 * cell_w)) - 1
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, num_fold)
            self.width, self.height = new_width, h_tg * self.num_row_tg_pair
        else:
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, 1)
            self.width, self.height = w_tg * 2 * num_tg, h_tg
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read, num_write) -> None:
        self.ramp_input, self.cap_load = ramp_input, cap_load
        tr = self.res_tg * (self.cap_tg_drain + 0.5 * self.cap_tg_gate_n + 0.5 * self.cap_tg_gate_p + cap_load)
        self.read_latency = 2.3 * tr * num_read
        self.write_latency = self.cell.write_pulse_width * num_write

    def calculate_power(self, num_read, num_write, num_write_pulse, mode_1t1r: bool, activity_row_read,
                        activity_col_write) -> None:
        """``num_read`` / ``activity_row_read`` may be per-vector arrays."""
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        vw2 = cell.write_voltage * cell.write_voltage
        n = self.num_input
        drain2 = self.cap_tg_drain * 2
        gates = self.cap_tg_gate_n + self.cap_tg_gate_p
        self.leakage = 0.0
        read = self.cap_tg_drain * 3 * cell.read_voltage * cell.read_voltage * n  # 2 TGs pass Vread
        read += gates * 2 * vdd2 * n  # 2 TGs open
        self.read_dynamic_energy = read * num_read * activity_row_read
        selected = n * activity_col_write / 2  # half of the written cells in LTP, half in LTD
        if mode_1t1r:
            write = drain2 * vw2 * num_write_pulse * selected
            write += drain2 * vw2 * (n - selected)  # unselected columns
            write += drain2 * vw2 * num_write_pulse * selected
            write += gates * vdd2 * n
        else:
            write = drain2 * vw2 * num_write_pulse * selected
            write += drain2 * vw2 * num_write_pulse * selected
            write += drain2 * (cell.write_voltage / 2) * (cell.write_voltage / 2) * n * (1 - activity_col_write)
            write += gates * vdd2 * n
        self.write_dynamic_energy = write


class DeMux(Component):
    """TG demultiplexer with an enable inverter."""

    def initialize(self, num_input: int, num_row: int) -> None:
        tech = self.tech
        f = tech.feature_size
        temp = self.p.temperature_k
        self.num_input = int(num_input)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        self.res_tg = self.cell.resistance_on / num_row * IR_DROP_TOLERANCE
        self.width_tg_n = formula.on_resistance(f, NMOS, temp, tech) * f / (self.res_tg * 2)
        self.width_tg_p = formula.on_resistance(f, PMOS, temp, tech) * f / (self.res_tg * 2)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        n = self.num_input
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p,
                                            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        if new_width and option == AreaModify.NONE:
            cell_w = min_cell_width(tech)
            num_row_pair = _fold_count(new_width, cell_w * 2, n, "DeMux")
            tg_width = int(new_width / math.ceil(n / num_row_pair) / 2)  # integer metres, as in the model
            num_fold = int(tg_width / (0.5 * cell_w)) - 1
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, num_fold)
            self.width, self.height = new_width, max(h_tg * num_row_pair, h_inv)
        else:
            _, h_tg, w_tg = formula.pass_gate_area(self.width_tg_n, self.width_tg_p, tech, 1)
            self.height, self.width = max(h_tg, h_inv), (w_tg * 2 * n) + w_inv
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)

    def calculate_latency(self, ramp_input: float, num_read) -> None:
        self.ramp_input = ramp_input
        self.read_latency = 2.3 * self.res_tg * self.cap_tg_drain * num_read

    def calculate_power(self, num_read) -> None:
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        vr2 = cell.read_voltage * cell.read_voltage
        n = self.num_input
        self.leakage = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k,
                                            tech) * tech.vdd
        energy = self.cap_inv_input * vdd2
        energy += (self.cap_tg_gate_n + self.cap_tg_gate_p) * vdd2 * n
        energy += (self.cap_tg_drain * 2) * vr2 * n  # TG drain, input side
        energy += self.cap_tg_drain * vr2 * n  # TG drain, output side
        self.read_dynamic_energy = energy * num_read
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency


class LevelShifter(Component):
    """Low-to-high voltage level shifters (one per line) for the write voltage."""

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        f = self.tech.feature_size
        self.num_output, self.activity_row_read, self.clk_freq = int(num_output), activity_row_read, clk_freq
        self.width_n = MIN_NMOS_SIZE * f
        self.width_p = self.tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.cap_load = 0.0
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        wn, wp = self.width_n, self.width_p
        cell_h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        if self.p.validated:  # IO transistors (2x width, 2.5x height; latch and pull-up 2.5x longer)
            _, h_low, w_low = formula.gate_area(INV, 1, wn * 15 * 2, wp * 20 * 2, cell_h * 2.5, tech)
            _, h_latch, w_latch = formula.gate_area(INV, 1, wn * 32 * 2, wp * 10 * 2, cell_h * 2.5, tech)
            _, h_high, w_high = formula.gate_area(INV, 1, wn * 64 * 2, wp * 82 * 2, cell_h * 2.5, tech)
            w_ls = w_low + (2 * w_latch + w_high) * 2.5
            self.area = max(h_low, h_latch, h_high) * w_ls * self.num_output * self.p.alpha  # wiring overhead
        else:
            _, h_low, w_low = formula.gate_area(INV, 1, wn * 15, wp * 20, cell_h, tech)
            _, h_latch, w_latch = formula.gate_area(INV, 1, wn * 32, wp * 10, cell_h, tech)
            _, h_high, w_high = formula.gate_area(INV, 1, wn * 64, wp * 82, cell_h, tech)
            w_ls = w_low + 2 * w_latch + w_high
            self.area = max(h_low, h_latch, h_high) * w_ls * self.num_output
        if new_width and option == AreaModify.NONE:
            self.width, self.height = new_width, self.area / new_width
        elif new_height and option == AreaModify.NONE:
            self.height, self.width = new_height, self.area / new_height
        else:
            raise ValueError("LevelShifter: give the width or the height of the level-shifter block")
        self.apply_area_modify(option, new_height, new_width)

        self.cap_mid_gate_n = formula.gate_cap(wn * 32, tech)
        _, self.cap_low_drain = formula.gate_capacitance(INV, 1, wn * 15, wp * 20, h_low, tech)
        _, self.cap_high_drain = formula.gate_capacitance(INV, 1, wn * 64, wp * 82, h_high, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        delay = 0.0
        # low-voltage-triggered pull-up, then the high-voltage pull-up driving the load
        for width, cap in ((self.width_p * 20, self.cap_low_drain + self.cap_mid_gate_n * 2),
                           (self.width_p * 82, cap_load + self.cap_high_drain)):
            res = formula.on_resistance(width, PMOS, temp, tech)
            beta = 1.0 / (res * formula.transconductance(width, PMOS, tech))
            d, self.ramp_output = formula.horowitz(res * cap, beta, 1e20)
            delay += d
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read, num_write, active_row_read=None) -> None:
        """Uses the activity given at ``initialize``; ``active_row_read`` is ignored, as in the model."""
        tech, cell = self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        low_side = (self.cap_low_drain + self.cap_mid_gate_n * 2) * vdd2
        self.leakage = 0.0
        # the high-voltage side does not switch during read
        self.read_dynamic_energy = low_side * self.num_output * self.activity_row_read * num_read
        high_side = (self.cap_load + self.cap_high_drain) * 2 * cell.write_voltage * cell.write_voltage
        self.write_dynamic_energy = (low_side + high_side) * num_write
