"""Transitional adapters: the stateful interface (``initialize`` / ``calculate_*``) that the not yet
converted callers (subarray, buffer, functional unit, training estimate) still use for the decoders
and switching circuits.  Every number comes from the builders of `decoders` / `switching`; the
adapters only translate the old call arguments into a spec and multiply per-action costs by the
counts the caller gives.  They go away when their last caller moves to the builders.
"""
from __future__ import annotations

from dataclasses import replace

from ..constants import AreaModify, CellAccessType, DecoderMode, MemCellType
from .base import Component
from .env import CircuitEnv


class _Adapter(Component):
    """Holds the spec being assembled from the old calls and caches the models built from it."""

    _builder = None  # set by subclasses (a staticmethod)

    def _set(self, **changes) -> None:
        self._spec = replace(self._spec, **changes)

    def _model(self):
        cache = self.__dict__.setdefault("_models", {})
        if self._spec not in cache:
            cache[self._spec] = type(self)._builder(self._spec, self._env())
        return cache[self._spec]

    def _env(self, clk_freq: float | None = None) -> CircuitEnv:
        return CircuitEnv.of(self.p, self.tech, clk_freq if clk_freq is not None else getattr(self, "clk_freq", None))

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        self._set(fit_height_m=new_height, fit_width_m=new_width, area_modify=AreaModify(option))
        m = self._model()
        self.height, self.width, self.area = m.height_m, m.width_m, m.area_m2
        self.new_height, self.new_width = new_height, new_width

    def _read_energy(self, num_read, **data) -> None:
        """``num_read`` reads' energy (may be per-vector) and the leakage."""
        self.read_dynamic_energy = self._model().cost("read", **data).energy_j * num_read
        self.leakage = self._model().leakage_w


def _res_mem_cell_on(cell) -> float:
    """On-state resistance of one memory cell, the access transistor included (1T1R eNVM)."""
    if cell.access_type == CellAccessType.CMOS_access and cell.mem_cell_type != MemCellType.SRAM:
        return cell.res_cell_access + cell.resistance_on
    return cell.resistance_on


# ---- decoders -----------------------------------------------------------------------------

from .decoders import (  # noqa: E402
    DecoderDriverSpec, RowDecoderSpec, WlDecoderOutputSpec, WlNewDecoderDriverSpec, decoder_driver, row_decoder,
    wl_decoder_output, wl_new_decoder_driver,
)


class RowDecoder(_Adapter):
    """Adapter over `decoders.row_decoder`."""

    _builder = staticmethod(row_decoder)

    def initialize(self, mode: DecoderMode, num_addr_row: int, mux: bool, parallel: bool) -> None:
        p = self.p
        self.mode, self.num_addr_row = DecoderMode(mode), int(num_addr_row)
        self.mux, self.parallel = bool(mux), bool(parallel)
        self._spec = RowDecoderSpec(num_addr_bits=self.num_addr_row, mode=self.mode, mux=self.mux,
                                    parallel=self.parallel,
                                    driver_sizing=p.sizing_factor_mux if mux else p.sizing_factor_wl_decoder,
                                    read_activity=p.epsilon if p.validated else 1.0)
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float, res_load: float,
                          col_num: float, num_read, num_write) -> None:
        self._set(ramp_input=ramp_input, load_cap_f=cap_load1, load_cap_p_f=cap_load2, line_res_ohm=res_load,
                  line_cells=col_num)
        m = self._model()
        self.ramp_output = m.port("ramp_output")
        self.read_latency = m.cost("read").latency_s * num_read
        self.write_latency = m.cost("write").latency_s * num_write

    def calculate_power(self, num_read, num_write) -> None:
        m = self._model()
        self.leakage = m.leakage_w
        self.read_dynamic_energy = m.cost("read").energy_j * num_read
        self.write_dynamic_energy = m.cost("write").energy_j * num_write


class DecoderDriver(_Adapter):
    """Adapter over `decoders.decoder_driver` (read path only)."""

    _builder = staticmethod(decoder_driver)

    def initialize(self, mode: int, num_output: int, num_load: int) -> None:
        cell = self.cell
        self.mode, self.num_output = mode, int(num_output)
        self._spec = DecoderDriverSpec(num_output=self.num_output, num_load=num_load,
                                       res_cell_on_ohm=_res_mem_cell_on(cell),
                                       cmos_access=cell.access_type == CellAccessType.CMOS_access,
                                       read_voltage_v=cell.read_voltage, mode=mode)
        self.res_tg = self._model().port("res_tg_ohm")
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float, res_load: float,
                          num_read, num_write) -> None:
        """``cap_load2`` and ``num_write`` are not used (no write path is modelled)."""
        self._set(ramp_input=ramp_input, load_cap_f=cap_load1, line_res_ohm=res_load)
        self.ramp_output = self._model().port("ramp_output")
        self.read_latency = self._model().cost("read").latency_s * num_read

    def calculate_power(self, num_read_cell_per_op, num_write_cell_per_op, num_read, num_write) -> None:
        self._set(read_cells_per_op=num_read_cell_per_op)
        m = self._model()
        self.leakage = m.leakage_w
        self.read_dynamic_energy = m.cost("read").energy_j * num_read


class _WordLineDriver(_Adapter):
    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        self._set(ramp_input=ramp_input, load_cap_f=cap_load, line_res_ohm=res_load)
        self.ramp_output = self._model().port("ramp_output")
        self.read_latency = self._model().cost("read").latency_s * num_read

    def calculate_power(self, num_read, num_write) -> None:
        m = self._model()
        self.leakage = m.leakage_w
        self.read_dynamic_energy = m.cost("read").energy_j * num_read


class WLNewDecoderDriver(_WordLineDriver):
    """Adapter over `decoders.wl_new_decoder_driver` (read path only)."""

    _builder = staticmethod(wl_new_decoder_driver)

    def initialize(self, num_wl_row: int) -> None:
        self.num_wl_row = int(num_wl_row)
        self._spec = WlNewDecoderDriverSpec(num_rows=self.num_wl_row, read_voltage_v=self.cell.read_voltage)
        self.initialized = True


class WLDecoderOutput(_WordLineDriver):
    """Adapter over `decoders.wl_decoder_output` (read path only)."""

    _builder = staticmethod(wl_decoder_output)

    def initialize(self, num_wl_row: int, multifunctional: bool, neuro: bool) -> None:
        self.num_wl_row = int(num_wl_row)
        self._spec = WlDecoderOutputSpec(num_rows=self.num_wl_row, access_voltage_v=self.cell.access_voltage,
                                         all_rows_open=not (multifunctional and not neuro))
        self.initialized = True


# ---- switching circuits -------------------------------------------------------------------

from .switching import (  # noqa: E402
    DemuxSpec, LevelShifterSpec, MuxSpec, NewMuxSpec, NewSwitchMatrixSpec, SwitchMatrixSpec, demux, level_shifter, mux,
    new_mux, new_switch_matrix, switch_matrix,
)


class _ScanChained(_Adapter):
    """A switch matrix with its DFF scan chain; ``dff.read_latency``: the chain's latency of the
    last ``calculate_latency`` (in clock cycles when synchronous, as the old DFF interface)."""

    def _scan_latency(self, num_read):
        if self.p.synchronous:
            return num_read * 1.0
        return self._model().cost("scan").latency_s * num_read

    def _read_power(self, num_read, activity_row_read) -> None:
        m = self._model()
        self.leakage = m.leakage_w
        self._scan_energy = m.cost("scan").energy_j * num_read
        read = m.cost("read", activity_row_read=activity_row_read).energy_j
        self.read_dynamic_energy = read * num_read + self._scan_energy


class SwitchMatrix(_ScanChained):
    """Adapter over `switching.switch_matrix`."""

    _builder = staticmethod(switch_matrix)

    def initialize(self, mode: int, num_output: int, res_tg: float, neuro: bool, parallel_write: bool,
                   activity_row_read: float, activity_col_write: float, num_write_cell_per_operation_memory: int,
                   num_write_cell_per_operation_neuro: int, num_write_pulse: float, clk_freq: float) -> None:
        cell, p = self.cell, self.p
        self.mode, self.num_output, self.clk_freq = mode, int(num_output), clk_freq
        self._spec = SwitchMatrixSpec(
            num_output=self.num_output, res_target_ohm=res_tg, read_voltage_v=cell.read_voltage,
            write_voltage_v=cell.write_voltage, cmos_access=cell.access_type == CellAccessType.CMOS_access, mode=mode,
            size_ratio=p.switch_matrix_size_ratio, neuro=bool(neuro), parallel_write=bool(parallel_write),
            write_cells_memory=int(num_write_cell_per_operation_memory),
            write_cells_neuro=int(num_write_cell_per_operation_neuro), write_pulses=num_write_pulse,
            cells_per_line=p.num_col_subarray, repeaters=p.buffer_number)
        self.res_tg = self._model().port("res_tg_ohm")
        self.dff = _ScanView()
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write, *,
                          unit_cap: float, unit_res: float, drive_cap_in: float = 0.0) -> None:
        """``cap_load``/``res_load`` are not used by the model's delay (the line is ``unit_cap``/``unit_res``)."""
        self._set(ramp_input=ramp_input, unit_cap_f=unit_cap, unit_res_ohm=unit_res, repeater_cap_in_f=drive_cap_in)
        m = self._model()
        self.dff.read_latency = self._scan_latency(num_read)
        self.ramp_output = m.port("ramp_output")
        self.read_latency = m.cost("read", activity_row_read=0.0).latency_s * num_read
        self.write_latency = m.cost("write", activity_col_write=0.0).latency_s * num_write + self.dff.read_latency

    def calculate_power(self, num_read, num_write, activity_row_read, activity_col_write) -> None:
        self._read_power(num_read, activity_row_read)
        write = self._model().cost("write", activity_col_write=activity_col_write).energy_j
        self.write_dynamic_energy = write * num_write + self._scan_energy


class _ScanView:
    """What callers read of the old switch matrix's DFF chain (its last latency)."""

    read_latency = 0.0


class NewSwitchMatrix(_ScanChained):
    """Adapter over `switching.new_switch_matrix` (read path only)."""

    _builder = staticmethod(new_switch_matrix)

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        self.num_output, self.clk_freq = int(num_output), clk_freq
        self._spec = NewSwitchMatrixSpec(num_output=self.num_output, read_voltage_v=self.cell.read_voltage,
                                         access_voltage_v=self.cell.access_voltage,
                                         size_ratio=self.p.new_switch_matrix_size_ratio)
        self.res_tg = self._model().port("res_tg_ohm")
        self.dff = _ScanView()
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        self._set(ramp_input=ramp_input, load_cap_f=cap_load, line_res_ohm=res_load)
        m = self._model()
        self.dff.read_latency = self._scan_latency(num_read)
        self.ramp_output = m.port("ramp_output")
        self.read_latency = m.cost("read", activity_row_read=0.0).latency_s * num_read

    def calculate_power(self, num_read, num_write, activity_row_read) -> None:
        self._read_power(num_read, activity_row_read)


class Mux(_Adapter):
    """Adapter over `switching.mux`."""

    _builder = staticmethod(mux)

    def initialize(self, num_input: int, num_selection: int, res_tg: float, fpga: bool) -> None:
        self.num_input, self.num_selection = int(num_input), int(num_selection)
        self._spec = MuxSpec(num_input=self.num_input, num_selection=self.num_selection,
                             read_voltage_v=self.cell.read_voltage, res_target_ohm=res_tg, digital=bool(fpga))
        self.res_tg = self._model().port("res_tg_ohm")
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        super().calculate_area(new_height, new_width, option)
        self.cap_tg_gate_n = self._model().port("cap_tg_gate_n")
        self.cap_tg_gate_p = self._model().port("cap_tg_gate_p")

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read) -> None:
        self._set(load_cap_f=cap_load)
        self.read_latency = self._model().cost("read").latency_s * num_read

    def calculate_power(self, num_read) -> None:
        self._read_energy(num_read)


class NewMux(_Adapter):
    """Adapter over `switching.new_mux` (read path only); ``res_tg`` may be set before ``calculate_latency``."""

    _builder = staticmethod(new_mux)

    def initialize(self, num_input: int) -> None:
        self.num_input = int(num_input)
        self._spec = NewMuxSpec(num_input=self.num_input, read_voltage_v=self.cell.read_voltage)
        self.res_tg = self._model().port("res_tg_ohm")
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read, num_write) -> None:
        self._set(load_cap_f=cap_load, res_tg_ohm=self.res_tg)
        self.read_latency = self._model().cost("read", activity_row_read=0.0).latency_s * num_read

    def calculate_power(self, num_read, num_write, num_write_pulse, mode_1t1r: bool, activity_row_read,
                        activity_col_write) -> None:
        self._read_energy(num_read, activity_row_read=activity_row_read)


class DeMux(_Adapter):
    """Adapter over `switching.demux`."""

    _builder = staticmethod(demux)

    def initialize(self, num_input: int, num_row: int) -> None:
        self.num_input = int(num_input)
        self._spec = DemuxSpec(num_input=self.num_input, num_row=num_row, res_cell_on_ohm=self.cell.resistance_on,
                               read_voltage_v=self.cell.read_voltage)
        self.res_tg = self._model().port("res_tg_ohm")
        self.initialized = True

    def calculate_latency(self, ramp_input: float, num_read) -> None:
        self.read_latency = self._model().cost("read").latency_s * num_read

    def calculate_power(self, num_read) -> None:
        self._read_energy(num_read)
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency


class LevelShifter(_Adapter):
    """Adapter over `switching.level_shifter`; energies use the activity given at ``initialize``
    (the ``calculate_power`` activity argument is ignored, as in the reference)."""

    _builder = staticmethod(level_shifter)

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        p = self.p
        self.num_output, self.activity_row_read, self.clk_freq = int(num_output), activity_row_read, clk_freq
        self._spec = LevelShifterSpec(num_output=self.num_output, write_voltage_v=self.cell.write_voltage,
                                      io_transistors=bool(p.validated), wiring_overhead=p.alpha)
        self.initialized = True

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_read, num_write) -> None:
        self._set(load_cap_f=cap_load)
        m = self._model()
        self.ramp_output = m.port("ramp_output")
        self.read_latency = m.cost("read", activity_row_read=self.activity_row_read).latency_s * num_read
        self.write_latency = m.cost("write").latency_s * num_write

    def calculate_power(self, num_read, num_write, active_row_read=None) -> None:
        m = self._model()
        self.leakage = m.leakage_w
        self.read_dynamic_energy = m.cost("read", activity_row_read=self.activity_row_read).energy_j * num_read
        self.write_dynamic_energy = m.cost("write").energy_j * num_write
