"""The periphery of a CIM subarray, per read mode, as `arch.Part`\\ s (what the subarray is made of).

DNN+NeuroSim V1.4 manual, "SubArray" and "Peripheral circuits" (Fig. 3, the periphery of the
parallel and sequential read modes):

=====================  ==================================================  =================
read mode              row side / column side                               bucket
=====================  ==================================================  =================
SRAM, parallel         WL switch matrix (+ row repeaters), precharger,       other, adc
                       write driver, column mux + its decoder, ADC           other, adc
SRAM, sequential       WL decoder, precharger, write driver, latch sense     other, adc
                       amplifiers
eNVM, parallel         WL switch matrix (crossbar) or WL "new" switch        other
                       matrix (1T1R, + row repeaters), SL switch matrix,
                       column mux + decoder, ADC, level shifters (Vw>1.5 V)
eNVM, sequential       WL decoder + WL decoder driver (crossbar) or WL new   other
                       decoder driver (1T1R), SL switch matrix, column mux
                       + decoder, ADC, level shifters
every mode             partial-sum adder + register (sequential, or more     accumulation
                       than one row group), shift-adders over the cells of
                       a synapse and over the input bits
=====================  ==================================================  =================

Each part is laid out against the array: row-side blocks fit the array height, column-side
blocks its width.  Parts the read never exercises (write drivers, SL switch matrix, level
shifters) are present for their area and leakage.

Every circuit is its family's builder (`circuits.decoders`, `circuits.switching`,
`circuits.sram_periphery`, `circuits.arithmetic`, `circuits.dff`; the ADC a plug-in, `sar_adc` or
`mlsa_role.mlsa_adc_builder`) called once with the loads this subarray gives it; their action
names are the builders' (``read``, ``scan``, ``precharge``, ``sense``, ``convert``, ``add``, ...).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, NamedTuple

from . import formula, quirks
from .arch import ActionCost, ComponentModel, Part
from .circuits.arithmetic import AdderBankSpec, ShiftAddSpec, adder_bank, shift_add
from .circuits.decoders import (
    DecoderDriverSpec, RowDecoderSpec, WlNewDecoderDriverSpec, decoder_driver, row_decoder, wl_new_decoder_driver,
)
from .circuits.dff import DffBankSpec, dff_bank
from .circuits.env import AdcSpec, CircuitEnv
from .circuits.sram_periphery import (
    PrechargerSpec, SenseAmpSpec, SramWriteDriverSpec, precharger, sense_amp, sram_write_driver,
)
from .circuits.switching import (
    LevelShifterSpec, MuxSpec, NewSwitchMatrixSpec, SwitchMatrixSpec, level_shifter, mux, new_switch_matrix,
    switch_matrix,
)
from .constants import COL_MODE, INV, MAX_TRANSISTOR_HEIGHT, NMOS, PMOS, ROW_MODE, AreaModify, CellAccessType

#: wire capacitance per metre of rows and columns (0.2 fF/um; V1.4 manual, "SubArray")
WIRE_CAP_PER_M = 0.2e-15 / 1e-6

__all__ = ["WIRE_CAP_PER_M", "Repeaters", "repeaters", "is_1t1r", "periphery_parts", "accumulation_parts", "adc_model"]


class Repeaters(NamedTuple):
    """Inverter pairs inserted along each row (2 per stage, ``stages`` per row; V1.4 manual,
    "Buffer insertion" for long rows at 2 nm / 1 nm).  Sized for ``drive_res_ohm`` when the
    read mode drives the rows through them, else left at zero width."""

    stages: int
    width_n_m: float
    width_p_m: float
    drive_res_ohm: float
    cap_in_f: float
    cap_out_f: float
    height_m: float
    width_m: float


def is_1t1r(cell) -> bool:
    """An eNVM cell with an access transistor (1T1R); False for crossbar cells and SRAM."""
    return not cell.is_sram and cell.access_type == CellAccessType.CMOS_access


def _fin(tech) -> int:
    return 2 if tech.feature_size_in_nano <= 14 else 1


def repeaters(p, tech, sized: bool) -> Repeaters:
    f, temp, stages = tech.feature_size, p.temperature_k, p.buffer_number
    if stages <= 0:
        return Repeaters(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    drive = wn = wp = 0.0
    if sized:
        drive = formula.on_resistance(_fin(tech) * f * p.buffer_size_ratio, NMOS, temp, tech)
        wn = formula.on_resistance(_fin(tech) * f, NMOS, temp, tech) / drive * f
        wp = formula.on_resistance(_fin(tech) * f, PMOS, temp, tech) / drive * f
        if tech.feature_size_in_nano <= 14:
            wn, wp = 2 * math.ceil(wn / f) * f, 2 * math.ceil(wp / f) * f
    _, h, w = formula.gate_area(INV, 1, wn, wp, f * MAX_TRANSISTOR_HEIGHT, tech)
    c_in, c_out = formula.gate_capacitance(INV, 1, wn, wp, f * MAX_TRANSISTOR_HEIGHT, tech)
    return Repeaters(stages, wn, wp, drive, c_in, c_out, h, w)


def repeater_chain_latency(rep: Repeaters, cap_row: float, res_row: float, num_col: int) -> float:
    """Delay along a row cut into ``stages + 1`` sections, each an RC wire driven by a repeater
    (0.69 R C + 0.38 r c L^2 per section, Bakoglu; V1.4 manual, "Buffer insertion")."""
    if rep.stages <= 0:
        return 0.0
    section = num_col // (rep.stages + 1)
    unit_cap, unit_res = cap_row / num_col, res_row / num_col
    r, c_in, c_out = rep.drive_res_ohm, rep.cap_in_f, rep.cap_out_f
    wire = unit_cap * section * (0.69 * r + 0.38 * unit_res * section)
    gate = (c_out + c_in) * r * 0.69
    inner = r * c_out * 0.69 + wire + (unit_cap * section * 0.69 + 0.69 * r) * c_in
    last = r * c_out * 0.69 + wire
    return (last + gate) + (inner + gate) * (rep.stages - 1)


# --- one builder call per periphery circuit, with this subarray's loads -------------------------

def _env(p, tech) -> CircuitEnv:
    return CircuitEnv.of(p, tech)


def _row_decoder(p, tech, *, bits: int, mux: bool, fit_height: float = 0.0, load_cap: float = 0.0,
                 load_cap_p: float = 0.0, line_res: float = 0.0, line_cells: int = 0) -> ComponentModel:
    return row_decoder(RowDecoderSpec(
        num_addr_bits=bits, mux=mux, driver_sizing=p.sizing_factor_mux if mux else p.sizing_factor_wl_decoder,
        fit_height_m=fit_height, load_cap_f=load_cap, load_cap_p_f=load_cap_p, line_res_ohm=line_res,
        line_cells=line_cells, read_activity=p.epsilon if p.validated else 1.0), _env(p, tech))


def _switch_matrix(p, tech, cell, *, mode: int, num_output: int, res_tg: float, fit_height: float = 0.0,
                   fit_width: float = 0.0, unit_cap: float = 0.0, unit_res: float = 0.0,
                   drive_cap_in: float = 0.0) -> ComponentModel:
    return switch_matrix(SwitchMatrixSpec(
        num_output=num_output, res_target_ohm=res_tg, read_voltage_v=cell.read_voltage,
        write_voltage_v=cell.write_voltage, cmos_access=cell.access_type == CellAccessType.CMOS_access, mode=mode,
        size_ratio=p.switch_matrix_size_ratio, fit_height_m=fit_height, fit_width_m=fit_width, unit_cap_f=unit_cap,
        unit_res_ohm=unit_res, cells_per_line=p.num_col_subarray, repeaters=p.buffer_number,
        repeater_cap_in_f=drive_cap_in), _env(p, tech))


def _mux_pair(p, tech, cell, *, num_input: int, res_tg: float, width: float, num_adc: int):
    """The column mux (TGs sized for the column's resistance) and its decoder; the mux block takes
    the height of the taller of the two, across the array (V1.4 manual, "Mux")."""
    n_mux = min(p.num_col_muxed, p.num_col_subarray)
    spec = MuxSpec(num_input=num_input, num_selection=n_mux, read_voltage_v=cell.read_voltage,
                   res_target_ohm=res_tg, fit_width_m=width)
    folded = mux(spec, _env(p, tech))
    probe = _row_decoder(p, tech, bits=math.ceil(math.log2(n_mux)), mux=True)
    block = mux(replace(spec, fit_height_m=max(probe.height_m, folded.height_m), area_modify=AreaModify.OVERRIDE),
                _env(p, tech))
    decoder = _row_decoder(p, tech, bits=math.ceil(math.log2(n_mux)), mux=True,
                           load_cap=block.port("cap_tg_gate_n") * num_adc,
                           load_cap_p=block.port("cap_tg_gate_p") * num_adc)
    return block, decoder


def _level_shifter(p, tech, cell, *, num_output: int, fit_height: float = 0.0, fit_width: float = 0.0):
    """Write-voltage level shifters: never switched by a read; area only (no leakage)."""
    return level_shifter(LevelShifterSpec(num_output=num_output, write_voltage_v=cell.write_voltage,
                                          io_transistors=bool(p.validated), wiring_overhead=p.alpha,
                                          fit_height_m=fit_height, fit_width_m=fit_width), _env(p, tech))


def _sram_column_circuits(p, tech, cell, w, *, sense: bool) -> list[Part]:
    """Precharger and write driver (and the latch sense amps of the sequential read), one per column."""
    n, env = p.num_col_subarray, _env(p, tech)
    parts = [Part("precharger", precharger(PrechargerSpec(num_col=n, bitline_cap_f=w.cap_col,
                                                          bitline_res_ohm=w.res_col, read_cols=n,
                                                          fit_width_m=w.length_row), env), "adc"),
             Part("write_driver", sram_write_driver(SramWriteDriverSpec(num_col=n, fit_width_m=w.length_row), env),
                  "other")]
    if sense:
        parts.append(Part("sense_amp", sense_amp(SenseAmpSpec(num_col=n, sense_voltage_v=cell.min_sense_voltage,
                                                              pitch_m=w.length_row / n, read_cols=n,
                                                              fit_width_m=w.length_row), env), "adc"))
    return parts


# --- the periphery of each read mode -------------------------------------------------------------

def periphery_parts(p, tech, cell, w, rep: Repeaters, *, mux_res_tg: float,
                    adc: Callable[[AdcSpec, CircuitEnv], ComponentModel] | None,
                    reference_energy_peri: float) -> list[Part]:
    """Row/column periphery of the read mode (see the module table); ``w``: `subarray.ArrayWires`."""
    sram, seq = cell.is_sram, p.conventional_sequential
    one_t_one_r = is_1t1r(cell)
    rows, cols = p.num_row_subarray, p.num_col_subarray
    n_mux = min(p.num_col_muxed, cols)
    num_adc = cols // n_mux
    parts: list[Part] = []
    if sram and seq:
        parts.append(Part("wl_decoder", _row_decoder(p, tech, bits=math.ceil(math.log2(rows)), mux=False,
                                                     fit_height=w.length_col, load_cap=w.cap_row1,
                                                     line_res=w.res_row, line_cells=cols), "other"))
        return parts + _sram_column_circuits(p, tech, cell, w, sense=True)

    if not sram and cell.write_voltage > 1.5:  # write-voltage level shifters (area only in a read)
        parts += [Part("wl_level_shifter", _level_shifter(p, tech, cell, num_output=rows, fit_height=w.length_col),
                       "other"),
                  Part("bl_level_shifter", _level_shifter(p, tech, cell, num_output=rows, fit_height=w.length_col),
                       "other"),
                  Part("sl_level_shifter", _level_shifter(p, tech, cell, num_output=cols, fit_width=w.length_row),
                       "other")]
    if seq:  # eNVM, one row at a time
        dec = _row_decoder(p, tech, bits=math.ceil(math.log2(rows)), mux=False, fit_height=w.length_col,
                           load_cap=w.cap_row2, line_res=w.res_row, line_cells=cols)
        parts.append(Part("wl_decoder", dec, "other"))
        ramp, env = dec.port("ramp_output"), _env(p, tech)
        if one_t_one_r:
            parts.append(Part("wl_new_decoder_driver", wl_new_decoder_driver(WlNewDecoderDriverSpec(
                num_rows=rows, read_voltage_v=cell.read_voltage, fit_height_m=w.length_col, load_cap_f=w.cap_row2,
                line_res_ohm=w.res_row, ramp_input=ramp), env), "other"))
        else:
            parts.append(Part("wl_decoder_driver", decoder_driver(DecoderDriverSpec(
                num_output=rows, num_load=cols, res_cell_on_ohm=w.res_mem_cell_on, cmos_access=False,
                read_voltage_v=cell.read_voltage, mode=ROW_MODE, read_cells_per_op=math.ceil(cols / n_mux),
                fit_height_m=w.length_col, load_cap_f=w.cap_row1, line_res_ohm=w.res_row, ramp_input=ramp), env),
                "other"))
        parts.append(Part("sl_switch_matrix", _switch_matrix(p, tech, cell, mode=COL_MODE, num_output=cols,
                                                             res_tg=w.res_mem_cell_on, fit_width=w.length_row,
                                                             unit_cap=w.unit_cap, unit_res=w.unit_res), "other"))
        mux_inputs = math.ceil(cols / n_mux)
    else:  # parallel: every row group at once
        parts += _row_drivers_parallel(p, tech, cell, w, rep)
        mux_inputs = num_adc
        if sram:
            parts += _sram_column_circuits(p, tech, cell, w, sense=False)
    if n_mux > 1:
        column_mux, mux_decoder = _mux_pair(p, tech, cell, num_input=mux_inputs, res_tg=mux_res_tg,
                                            width=w.length_row, num_adc=num_adc)
        parts += [Part("column_mux", column_mux, "other"), Part("column_mux_decoder", mux_decoder, "other")]
    parts.append(Part("adc", adc_model(p, tech, cell, w, adc, reference_energy_peri), "adc"))
    return parts


def _row_load(p, cell, w, rep: Repeaters) -> tuple[float, float, float, bool]:
    """(line capacitance, capacitance and resistance the row driver sees, buffered?) of a parallel read."""
    cap_row = w.cap_row2 if (not cell.is_sram and is_1t1r(cell)) else w.cap_row1
    buffered = rep.stages > 0 and (cell.is_sram or is_1t1r(cell))
    if buffered:  # the driver sees the first section and a repeater's input
        section = p.num_col_subarray // (rep.stages + 1)
        return cap_row, cap_row / (rep.stages + 1) + rep.cap_in_f, w.res_row / p.num_col_subarray * section, True
    return cap_row, cap_row, w.res_row, False


def _row_drivers_parallel(p, tech, cell, w, rep: Repeaters) -> list[Part]:
    rows, cols = p.num_row_subarray, p.num_col_subarray
    cap_row, cap_load, res_load, buffered = _row_load(p, cell, w, rep)
    parts = []
    if rep.stages > 0:  # repeater area (every row); their switching is in the array's row energy
        leak = formula.gate_leakage(INV, 1, rep.width_n_m, rep.width_p_m, p.temperature_k, tech) * rep.stages * 2 * rows
        if cell.is_sram and quirks.applies("sram_row_repeaters_no_leakage", p.compat):
            leak = 0.0
        lat = repeater_chain_latency(rep, cap_row, w.res_row, cols) if buffered else 0.0
        area = rep.height_m * rep.width_m * rep.stages * 2 * rows
        parts.append(Part("row_repeaters", ComponentModel(
            kind="repeaters", area_m2=area, height_m=w.length_col, width_m=area / w.length_col, leakage_w=leak,
            actions={"propagate": ActionCost(latency_s=lat)}), "other"))
    unit_cap = cap_row / cols if buffered else w.unit_cap
    if cell.is_sram:
        res_tg = w.res_row / (rep.stages + 1) if rep.stages > 0 else w.res_row
        parts.insert(0, Part("wl_switch_matrix", _switch_matrix(
            p, tech, cell, mode=ROW_MODE, num_output=rows, res_tg=res_tg, fit_height=w.length_col, unit_cap=unit_cap,
            unit_res=w.unit_res, drive_cap_in=rep.cap_in_f), "other"))
        return parts
    res_tg = w.res_mem_cell_avg / p.num_row_parallel
    if is_1t1r(cell):
        drv = Part("wl_new_switch_matrix", new_switch_matrix(NewSwitchMatrixSpec(
            num_output=rows, read_voltage_v=cell.read_voltage, access_voltage_v=cell.access_voltage,
            size_ratio=p.new_switch_matrix_size_ratio, fit_height_m=w.length_col, load_cap_f=cap_load,
            line_res_ohm=res_load), _env(p, tech)), "other")
    else:
        drv = Part("wl_switch_matrix", _switch_matrix(
            p, tech, cell, mode=ROW_MODE, num_output=rows, res_tg=res_tg * rows / cols, fit_height=w.length_col,
            unit_cap=unit_cap, unit_res=w.unit_res, drive_cap_in=rep.cap_in_f), "other")
    sl = Part("sl_switch_matrix", _switch_matrix(p, tech, cell, mode=COL_MODE, num_output=cols, res_tg=res_tg * rows,
                                                 fit_width=w.length_row, unit_cap=unit_cap, unit_res=w.unit_res,
                                                 drive_cap_in=rep.cap_in_f), "other")
    return [drv, sl] + parts


# --- the ADC role --------------------------------------------------------------------------------

def check_adc_model(model, builder) -> ComponentModel:
    """The `neurosim_core.plugins` contract of the ``adc`` role, checked once (one-line errors)."""
    if not isinstance(model, ComponentModel):
        raise TypeError(f"ADC plug-in {getattr(builder, '__name__', builder)!r} returned "
                        f"{type(model).__name__}, not an arch.ComponentModel")
    model.cost("convert")  # UnknownAction if the contract is not met
    if "column_energy" not in model.dynamic:
        raise TypeError(f"ADC plug-in model '{model.kind}' has no dynamic action 'column_energy'")
    return model


def adc_model(p, tech, cell, w, builder, reference_energy_peri: float) -> ComponentModel:
    """The ADC role: a plug-in, the built-in SAR ADC, or the built-in multilevel sense amp
    (``reference_energy_peri``: its reference columns' word-line energy, SRAM parallel read)."""
    from .circuits.adc import sar_adc
    from .circuits.mlsa_role import mlsa_adc_builder
    parallel = bool(p.conventional_parallel)
    if builder is None and p.adc_type == "sar":
        builder = sar_adc
    if builder is None:
        builder = mlsa_adc_builder(p, cell, parallel=parallel, res_cell_access=w.res_cell_access,
                                   array_height=w.array_height, array_width_unit=w.array_width_unit,
                                   reference_energy_peri=lambda: reference_energy_peri)
    n_mux = min(p.num_col_muxed, p.num_col_subarray)
    levels = p.level_output if parallel else 2 ** p.cell_bit
    spec = AdcSpec(num_adc=p.num_col_subarray // n_mux, levels=levels, column_cap_f=float(w.cap_col),
                   read_voltage_v=float(p.read_voltage), width_m=float(w.length_row),
                   parallel_read=bool(p.parallel_read))
    model = check_adc_model(builder(spec, CircuitEnv.of(p, tech)), builder)
    # seated with action ``switch_column``: the per-column switching energy of a conversion (port
    # ``energy_per_column_j`` of the built-in MLSA, else 0), priced per column a read converts
    per_column = ActionCost(energy_j=model.ports.get("energy_per_column_j", 0.0))
    return replace(model, actions={**model.actions, "switch_column": per_column})


# --- accumulation --------------------------------------------------------------------------------

def accumulation_parts(p, tech, cell, w) -> list[Part]:
    """Partial-sum adder + register and the shift-adders (V1.4 manual, "Adder", "Shift-add"), laid
    out under the array.  The sizes follow the partial sum each one holds:

    * sequential read: row-by-row sums of ``ceil(log2 rows)`` + cell bits, one adder per ADC
      (eNVM) or per column (SRAM);
    * parallel read: sums of ``num_row // num_row_parallel`` ADC outputs (only when > 1);
    * shift-adders: over the ``num_col_per_synapse`` cells of a synapse, then over the input bits.
    """
    env = CircuitEnv.of(p, tech)
    rows, cols, ncps = p.num_row_subarray, p.num_col_subarray, p.num_col_per_synapse
    n_mux = min(p.num_col_muxed, cols)
    width = w.length_row
    gamma = p.gamma if p.validated else 1.0
    delta = p.delta if p.validated else 1.0
    sram = cell.is_sram
    if p.conventional_sequential:
        if sram:
            adder_bit, num_adder, units = math.ceil(math.log2(rows)) + 1, cols, cols // ncps
            weight_bits, weight_shifts = adder_bit, ncps
        else:
            num_adder = units = math.ceil(cols / n_mux)
            adder_bit = math.ceil(math.log2(rows)) + p.cell_bit
            weight_bits, weight_shifts = adder_bit, (ncps - 1) * p.cell_bit + 1
        input_bits = adder_bit + weight_shifts
        partial_sums = True
    else:
        n_add = rows // p.num_row_parallel
        levels = p.level_output
        adder_bit = int(math.log2(levels) + math.ceil(math.log2(n_add)))
        num_adder = units = cols // n_mux
        if sram:
            weight_bits, input_bits = adder_bit, adder_bit + ncps
        else:  # V1.4 sizes the eNVM shift-adders for the ADC output only
            weight_bits, input_bits = int(math.log2(levels)), int(math.log2(levels) + ncps)
        weight_shifts = ncps
        partial_sums = n_add > 1
    parts = []
    if partial_sums:
        register = dff_bank(DffBankSpec(num_dff=adder_bit * num_adder, fit_width_m=width, gamma=gamma), env)
        adder = adder_bank(AdderBankSpec(num_bit=adder_bit - 1, num_adder=num_adder, fit_width_m=width, delta=delta,
                                         cap_load_f=register.port("cap_tg_drain")), env)
        parts += [Part("accumulation_adder", adder, "accumulation"),
                  Part("accumulation_register", register, "accumulation")]
        if sram and p.conventional_sequential:  # a second register pipelines the weight shift-add
            pipe = register
            if quirks.applies("sram_sequential_pipeline_register_no_leakage", p.compat):
                pipe = replace(register, leakage_w=0.0)
            parts.append(Part("pipeline_register", pipe, "accumulation"))
    if ncps > 1:
        parts.append(Part("shift_add_weight", shift_add(ShiftAddSpec(
            num_unit=units, num_adder_bit=weight_bits, num_read_pulse=weight_shifts, fit_width_m=width,
            gamma=gamma, delta=delta), env), "accumulation"))
    if p.input_bits > 1:
        parts.append(Part("shift_add_input", shift_add(ShiftAddSpec(
            num_unit=units, num_adder_bit=input_bits, num_read_pulse=p.input_bits, fit_width_m=width,
            gamma=gamma, delta=delta), env), "accumulation"))
    return parts
