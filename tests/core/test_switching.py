"""Switching-circuit builders (`neurosim_core.circuits.switching`) against the reference golden
values, plus properties.

Golden values: see ``test_dff.py`` (reference NeuroSim V1.4 SwitchMatrix / NewSwitchMatrix / Mux /
NewMux / DeMux / LevelShifter objects run by a C++ driver with exactly the inputs of the scenarios
below).  The reference ``NewMux`` never sets its TG resistance, so its scenario sets 2 kohm on both
sides.  The write figures of the new switch matrix and the new mux are not checked: the builders
model no write path for them (no caller).  The reference's switch-matrix write latency includes the
scan chain's latency in clock cycles (synchronous) -- that part is subtracted before comparing.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.circuits.env import CircuitEnv
from neurosim_core.circuits.switching import (
    DemuxSpec, LevelShifterSpec, MuxSpec, NewMuxSpec, NewSwitchMatrixSpec, SwitchMatrixSpec, demux,
    level_shifter, mux, new_mux, new_switch_matrix, switch_matrix,
)
from neurosim_core.constants import COL_MODE, ROW_MODE, CellAccessType

from .test_dff import BASE_KEYS, CONFIGS, OVERRIDE, REL_TOL, golden_cases, periphery_setup


def env_of(s) -> CircuitEnv:
    return CircuitEnv.of(s.p, s.tech, 1e9)


def geometry(m, leak=True) -> dict:
    out = {"height": m.height_m, "width": m.width_m, "area": m.area_m2}
    if leak:
        out["leakage"] = m.leakage_w
    return out


def check(ours: dict, golden_entry, scan_cycles: float = 0.0) -> None:
    base, extra = golden_entry
    expected = dict(zip(BASE_KEYS, base), **extra)
    expected["write_latency"] -= scan_cycles  # the scan chain's cycles (synchronous reference figure)
    for key, value in ours.items():
        # the write latency is known to the double precision of (cycles + seconds) only
        floor = scan_cycles * 4e-16 if key == "write_latency" else 1e-30
        assert value == pytest.approx(expected[key], rel=REL_TOL, abs=floor), key


# ---- scenarios: the reference driver's inputs as specs ------------------------------------

def sm_spec(s, mode, n, res, neuro, parallel_write, mem, cells, pulses, **kw) -> SwitchMatrixSpec:
    c, p = s.cell, s.p
    return SwitchMatrixSpec(num_output=n, res_target_ohm=res, read_voltage_v=c.read_voltage,
                            write_voltage_v=c.write_voltage, cmos_access=c.access_type == CellAccessType.CMOS_access,
                            mode=mode, size_ratio=p.switch_matrix_size_ratio, neuro=neuro, parallel_write=parallel_write,
                            write_cells_memory=mem, write_cells_neuro=cells, write_pulses=pulses,
                            cells_per_line=p.num_col_subarray, repeaters=p.buffer_number, unit_cap_f=s.unit_cap,
                            unit_res_ohm=s.unit_res, repeater_cap_in_f=s.drive_cap_in, **kw)


def sm_figures(m, num_read, num_write, act_row, act_col, latency=True) -> dict:
    read, write = m.cost("read", activity_row_read=act_row), m.cost("write", activity_col_write=act_col)
    scan = m.cost("scan").energy_j * num_read
    out = dict(geometry(m), read_dynamic_energy=read.energy_j * num_read + scan,
               write_dynamic_energy=write.energy_j * num_write + scan)
    if latency:
        out.update(read_latency=read.latency_s * num_read, write_latency=write.latency_s * num_write)
    return out


def _sm_row(s):
    m = switch_matrix(sm_spec(s, ROW_MODE, 128, s.res_row, True, False, 8, 8, 1, fit_height_m=s.h_array), env_of(s))
    return dict(sm_figures(m, 1, 2, 0.3, 0.5), res_tg=m.port("res_tg_ohm")), 1


def _sm_col(s):
    m = switch_matrix(sm_spec(s, COL_MODE, 128, s.res_col * 128, True, False, 8, 8, 1, fit_width_m=s.w_array), env_of(s))
    return sm_figures(m, 2, 1, 0.3, 0.5), 2


def _sm_col_mem(s):
    return sm_figures(switch_matrix(sm_spec(s, COL_MODE, 64, 5e3, False, False, 7, 8, 3), env_of(s)), 1, 1, 0.3, 0.5,
                      latency=False), 0


def _sm_row_default(s):
    return sm_figures(switch_matrix(sm_spec(s, ROW_MODE, 64, 5e3, True, True, 7, 8, 3), env_of(s)), 1, 1, 0.3, 0.25,
                      latency=False), 0


def _sm_col_par(s):
    return sm_figures(switch_matrix(sm_spec(s, COL_MODE, 64, 5e3, True, True, 7, 8, 3), env_of(s)), 1, 1, 0.3, 0.25,
                      latency=False), 0


def nsm_spec(s, n, **kw) -> NewSwitchMatrixSpec:
    return NewSwitchMatrixSpec(num_output=n, read_voltage_v=s.cell.read_voltage, access_voltage_v=s.cell.access_voltage,
                               size_ratio=s.p.new_switch_matrix_size_ratio, load_cap_f=s.cap_row,
                               line_res_ohm=s.res_row, **kw)


def _nsm_figures(m, num_read, act):
    read = m.cost("read", activity_row_read=act)
    return dict(geometry(m), read_latency=read.latency_s * num_read,
                read_dynamic_energy=(read.energy_j + m.cost("scan").energy_j) * num_read)


def _nsm(s):
    m = new_switch_matrix(nsm_spec(s, 128, fit_height_m=s.h_array), env_of(s))
    return dict(_nsm_figures(m, 1, 0.4), res_tg=m.port("res_tg_ohm")), 0


def _nsm_default(s):
    return _nsm_figures(new_switch_matrix(nsm_spec(s, 64), env_of(s)), 1, 0.4), 0


def mux_spec(s, n_in, n_sel, res, digital, **kw) -> MuxSpec:
    return MuxSpec(num_input=n_in, num_selection=n_sel, read_voltage_v=s.cell.read_voltage, res_target_ohm=res,
                   digital=digital, **kw)


def _read_figures(m, num_read, **data) -> dict:
    read = m.cost("read", **data)
    return dict(geometry(m), read_latency=read.latency_s * num_read, read_dynamic_energy=read.energy_j * num_read)


def _mux_analog(s):
    return geometry(mux(mux_spec(s, 16, 8, s.res_row, False, fit_width_m=s.w_array), env_of(s)), leak=False), 0


def _mux_override(s):
    folded = mux(mux_spec(s, 16, 8, s.res_row, False, fit_width_m=s.w_array), env_of(s))
    m = mux(mux_spec(s, 16, 8, s.res_row, False, fit_height_m=folded.height_m * 1.5, fit_width_m=s.w_array,
                     area_modify=OVERRIDE, load_cap_f=s.cap_col), env_of(s))
    return dict(_read_figures(m, 3), res_tg=m.port("res_tg_ohm"), cap_tg_gate_n=m.port("cap_tg_gate_n"),
                cap_tg_gate_p=m.port("cap_tg_gate_p")), 0


def _mux_default(s):
    return _read_figures(mux(mux_spec(s, 16, 8, 8e3, False), env_of(s)), 1), 0


def _mux_fpga(s):
    return _read_figures(mux(mux_spec(s, 16, 4, 0, True, fit_width_m=s.w_array / 8, load_cap_f=1e-15), env_of(s)), 1), 0


def _mux_fpga_default(s):
    return geometry(mux(mux_spec(s, 16, 4, 0, True), env_of(s)), leak=False), 0


def _newmux_1t1r(s):
    m = new_mux(NewMuxSpec(num_input=128, read_voltage_v=s.cell.read_voltage, res_tg_ohm=2e3, fit_width_m=s.w_array,
                           load_cap_f=s.cap_col), env_of(s))
    return _read_figures(m, 1, activity_row_read=0.3), 0


def _newmux_xbar(s):
    m = new_mux(NewMuxSpec(num_input=64, read_voltage_v=s.cell.read_voltage), env_of(s))
    return dict(geometry(m), read_dynamic_energy=m.cost("read", activity_row_read=0.3).energy_j * 2), 0


def demux_spec(s, n, rows, **kw) -> DemuxSpec:
    return DemuxSpec(num_input=n, num_row=rows, res_cell_on_ohm=s.cell.resistance_on,
                     read_voltage_v=s.cell.read_voltage, **kw)


def _demux(s):
    return _read_figures(demux(demux_spec(s, 128, 128, fit_width_m=s.w_array), env_of(s)), 2), 0


def _demux_default(s):
    return _read_figures(demux(demux_spec(s, 32, 64), env_of(s)), 1), 0


def ls_spec(s, **kw) -> LevelShifterSpec:
    return LevelShifterSpec(num_output=128, write_voltage_v=s.cell.write_voltage, io_transistors=s.p.validated,
                            wiring_overhead=s.p.alpha, **kw)


def _ls_figures(m, num_read, num_write, act) -> dict:
    read, write = m.cost("read", activity_row_read=act), m.cost("write")
    return dict(geometry(m), read_latency=read.latency_s * num_read, write_latency=write.latency_s * num_write,
                read_dynamic_energy=read.energy_j * num_read, write_dynamic_energy=write.energy_j * num_write)


def _ls_row(s):
    m = level_shifter(ls_spec(s, fit_height_m=s.h_array, load_cap_f=s.cap_row), env_of(s))
    return dict(_ls_figures(m, 1, 2, 0.3), ramp_output=m.port("ramp_output")), 0


def _ls_col(s):
    return _ls_figures(level_shifter(ls_spec(s, fit_width_m=s.w_array, load_cap_f=s.cap_col), env_of(s)), 2, 1, 0.5), 0


SCENARIOS = {
    "sm_row": _sm_row, "sm_col": _sm_col, "sm_col_mem": _sm_col_mem, "sm_row_default": _sm_row_default,
    "sm_col_par": _sm_col_par, "nsm": _nsm, "nsm_default": _nsm_default, "mux_analog": _mux_analog,
    "mux_override": _mux_override, "mux_default": _mux_default, "mux_fpga": _mux_fpga,
    "mux_fpga_default": _mux_fpga_default, "newmux_1t1r": _newmux_1t1r, "newmux_xbar": _newmux_xbar,
    "demux": _demux, "demux_default": _demux_default, "ls_row": _ls_row, "ls_col": _ls_col,
}

GOLDEN = {
    "sram22": {
        "sm_row": ((5.12e-05, 4.6816e-06, 2.3969792e-10, 4.128028151136782e-10, 1.0000000005722662, 1.874707092264258e-13, 1.810303256664433e-13, 4.441360293235588e-09), {"res_tg": 11999.999999999998}),
        "sm_col": ((1.397e-06, 0.00014336, 2.0027392e-10, 1.5343697765634347e-09, 2.000000000531772, 3.612033866849459e-13, 6.918346072624474e-13, 4.441360293235588e-09), {}),
        "sm_col_mem": ((4.717156245127535e-06, 2.1401600000000002e-05, 1.0095469109572147e-10, 0.0, 0.0, 9.066731775083442e-14, 1.9997439331882962e-13, 2.220680146617794e-09), {}),
        "sm_row_default": ((3.9424e-05, 2.3408e-06, 9.22836992e-11, 0.0, 0.0, 9.733709139951701e-14, 9.081520546000091e-14, 2.220680146617794e-09), {}),
        "sm_col_par": ((4.717156245127535e-06, 2.1401600000000002e-05, 1.0095469109572147e-10, 0.0, 0.0, 9.030084667123647e-14, 2.2815538983726463e-13, 2.220680146617794e-09), {}),
        "nsm": ((5.12e-05, 6.688e-06, 3.4242559999999997e-10, 1.5065737127939011e-10, 1.0000000003013148, 4.690789186768549e-13, 1.9711599586563456e-13, 4.441360293235588e-09), {"res_tg": 751.265470245669}),
        "nsm_default": ((3.9424e-05, 3.6784000000000002e-06, 1.4501724160000002e-10, 1.5076691460383916e-10, 0.0, 2.4349919220512516e-13, 0.0, 2.220680146617794e-09), {}),
        "mux_analog": ((1.9077725626771314e-07, 0.00014336, 2.7349827458539357e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "mux_override": ((2.861658844015697e-07, 0.00014336, 4.102474118780904e-11, 9.41112573956474e-10, 0.0, 1.3741865011438649e-14, 0.0, 0.0), {"res_tg": 2999.9999999999995, "cap_tg_gate_n": 2.557835585301175e-16, "cap_tg_gate_p": 3.374791736087971e-16}),
        "mux_default": ((7.78590612818836e-07, 2.1401600000000002e-05, 1.6663084859303603e-11, 3.0904270132419698e-12, 0.0, 6.631532836579861e-15, 0.0, 0.0), {}),
        "mux_fpga": ((6.16e-07, 1.792e-05, 1.1038720000000001e-11, 9.39749712044049e-12, 0.0, 5.024219536224997e-15, 0.0, 0.0), {}),
        "mux_fpga_default": ((6.16e-07, 1.0700800000000001e-05, 6.5916928000000006e-12, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "newmux_1t1r": ((6.160000000000001e-07, 0.00014336, 8.830976000000002e-11, 2.0934253590427505e-10, 2e-08, 4.277034974625085e-14, 4.767531400595868e-13, 0.0), {}),
        "newmux_xbar": ((6.160000000000001e-07, 6.42048e-05, 3.955015680000001e-11, 0.0, 0.0, 4.277034974625085e-14, 1.8060507700196187e-13, 0.0), {}),
        "demux": ((6.16e-07, 0.00014336, 8.830976000000001e-11, -1.6276146686675807e-12, 0.0, 2.5633257498705334e-12, 0.0, 1.9541500000000004e-11), {}),
        "demux_default": ((5.796552689609419e-06, 1.0868000000000002e-05, 6.299693463067518e-11, 2.7715669454405723e-12, 0.0, 2.7651274677877636e-13, 0.0, 1.9541500000000004e-11), {}),
        "ls_row": ((5.12e-05, 2.5027833599999998e-05, 1.2814250803199998e-09, 1.9519462286386595e-11, 3.903892457277319e-11, 1.3633928473920897e-13, 5.404016147758577e-13, 0.0), {"ramp_output": 41099555492.94777}),
        "ls_col": ((8.938511999999997e-06, 0.00014336, 1.2814250803199998e-09, 4.852866054064921e-11, 2.4264330270324606e-11, 4.544642824640299e-13, 3.742008073879288e-13, 0.0), {}),
    },
    "sram7": {
        "sm_row": ((4.096e-05, 1.5959888e-06, 6.5371701248e-11, 3.1619570101942703e-10, 1.0000000004383403, 1.0889933268496653e-13, 1.05457449100416e-13, 9.50872301568e-09), {"res_tg": 5819.837518117985}),
        "sm_col": ((7.488599999999999e-07, 8.81408e-05, 6.600511948799999e-11, 6.323914020388541e-10, 2.00000000021917, 2.10127001720832e-13, 2.33372692100352e-13, 9.50872301568e-09), {}),
        "sm_col_mem": ((2.0088349999999996e-06, 1.45918976e-05, 2.9312714615295995e-11, 0.0, 0.0, 5.2731533337736674e-14, 7.5535637475648e-14, 4.75436150784e-09), {}),
        "sm_row_default": ((1.8807379599999998e-05, 1.5959888e-06, 3.001636719894848e-11, 0.0, 0.0, 5.6367582254758525e-14, 5.2925698670208e-14, 4.75436150784e-09), {}),
        "sm_col_par": ((2.0088349999999996e-06, 1.45918976e-05, 2.9312714615295995e-11, 0.0, 0.0, 5.2531750430208e-14, 7.8679080818688e-14, 4.75436150784e-09), {}),
        "nsm": ((4.096e-05, 2.0519856e-06, 8.404933017599999e-11, 2.3290190830593733e-10, 1.0000000004658038, 1.9944572856666864e-13, 1.111027609200768e-13, 9.50872301568e-09), {"res_tg": 969.9729196863307}),
        "nsm_default": ((1.8807379599999998e-05, 2.2799839999999998e-06, 4.288052456992639e-11, 2.3290190830593733e-10, 0.0, 9.972286428333432e-14, 0.0, 4.75436150784e-09), {}),
        "mux_analog": ((2.6887e-07, 8.81408e-05, 2.3698416895999997e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "mux_override": ((4.03305e-07, 8.81408e-05, 3.5547625344e-11, 1.1286979784455367e-09, 0.0, 2.4086300404587726e-15, 0.0, 0.0), {"res_tg": 5819.837518117985, "cap_tg_gate_n": 1.0049700000000002e-16, "cap_tg_gate_p": 1.0049700000000002e-16}),
        "mux_default": ((3.8887e-07, 1.45918976e-05, 5.674351219712e-12, 1.4351233150472927e-12, 0.0, 2.4086300404587726e-15, 0.0, 0.0), {}),
        "mux_fpga": ((2.3999499999999995e-07, 1.10176e-05, 2.6441689119999994e-12, 8.127936460882976e-12, 0.0, 1.6057533603058484e-15, 0.0, 0.0), {}),
        "mux_fpga_default": ((2.3999499999999995e-07, 7.2959488e-06, 1.7509912322559995e-12, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "newmux_1t1r": ((3.2887e-07, 8.81408e-05, 2.8986864895999998e-11, 1.2978636658537598e-10, 2e-08, 1.5235469857101054e-14, 5.616351412223999e-14, 0.0), {}),
        "newmux_xbar": ((3.2887e-07, 4.37756928e-05, 1.4396512091136e-11, 0.0, 0.0, 1.5235469857101054e-14, 2.3783031121919997e-14, 0.0), {}),
        "demux": ((2.3999499999999995e-07, 8.81408e-05, 2.1153351295999995e-11, 0.0, 0.0, 7.819872564e-13, 0.0, 1.857172464e-11), {}),
        "demux_default": ((1.16887e-06, 7.409948e-06, 8.661265918759999e-12, 9.655341465e-14, 0.0, 5.1341398447340357e-14, 0.0, 1.857172464e-11), {}),
        "ls_row": ((4.096e-05, 1.9544755649107497e-05, 8.005531913874431e-10, 9.69768555420316e-12, 1.939537110840632e-11, 1.2304302000979968e-13, 3.4670721656471035e-13, 0.0), {"ramp_output": 116552968263.84283}),
        "ls_col": ((9.082663095722335e-06, 8.81408e-05, 8.005531913874431e-10, 2.221917388530665e-11, 1.1109586942653324e-11, 4.101434000326656e-13, 2.293536082823552e-13, 0.0), {}),
    },
    "rram22": {
        "sm_row": ((2.048e-05, 9.3632e-06, 1.9175833600000001e-10, 1.0637215088856539e-10, 1.0000000001474632, 1.944320492335682e-13, 1.816102399871091e-13, 4.441360293235588e-09), {"res_tg": 5099.999999999999}),
        "sm_col": ((3.2802000000000004e-06, 6.144e-05, 2.0153548800000002e-10, 8.207855719445371e-10, 2.0000000002844627, 3.612033866849459e-13, 5.634552472489394e-13, 4.441360293235588e-09), {}),
        "sm_col_mem": ((4.717156245127535e-06, 2.1401600000000002e-05, 1.0095469109572147e-10, 0.0, 0.0, 9.066731775083442e-14, 1.9997439331882962e-13, 2.220680146617794e-09), {}),
        "sm_row_default": ((3.9424e-05, 2.3408e-06, 9.22836992e-11, 0.0, 0.0, 9.733709139951701e-14, 9.081520546000091e-14, 2.220680146617794e-09), {}),
        "sm_col_par": ((4.717156245127535e-06, 2.1401600000000002e-05, 1.0095469109572147e-10, 0.0, 0.0, 9.030084667123647e-14, 2.2815538983726463e-13, 2.220680146617794e-09), {}),
        "nsm": ((2.048e-05, 1.3376e-05, 2.7394048e-10, 4.431826168836087e-11, 1.0000000000886364, 4.579153733250096e-13, 1.9679884969086623e-13, 4.441360293235588e-09), {"res_tg": 751.265470245669}),
        "nsm_default": ((3.9424e-05, 3.6784000000000002e-06, 1.4501724160000002e-10, 4.449604878127228e-11, 0.0, 2.4349919220512516e-13, 0.0, 2.220680146617794e-09), {}),
        "mux_analog": ((4.0027475012503376e-07, 6.144e-05, 2.459288064768207e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "mux_override": ((6.004121251875506e-07, 6.144e-05, 3.688932097152311e-11, 2.2069367964357754e-10, 0.0, 3.213939356524678e-14, 0.0, 0.0), {"res_tg": 1274.9999999999998, "cap_tg_gate_n": 6.018436671296881e-16, "cap_tg_gate_p": 7.94068643785405e-16}),
        "mux_default": ((7.78590612818836e-07, 2.1401600000000002e-05, 1.6663084859303603e-11, 3.0904270132419698e-12, 0.0, 6.631532836579861e-15, 0.0, 0.0), {}),
        "mux_fpga": ((1.232e-06, 7.68e-06, 9.461759999999999e-12, 9.39749712044049e-12, 0.0, 5.024219536224997e-15, 0.0, 0.0), {}),
        "mux_fpga_default": ((6.16e-07, 1.0700800000000001e-05, 6.5916928000000006e-12, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "newmux_1t1r": ((1.8480000000000003e-06, 6.144e-05, 1.1354112000000002e-10, 1.1274253590427506e-10, 2e-08, 4.277034974625085e-14, 4.767531400595868e-13, 0.0), {}),
        "newmux_xbar": ((6.160000000000001e-07, 6.42048e-05, 3.955015680000001e-11, 0.0, 0.0, 4.277034974625085e-14, 1.8060507700196187e-13, 0.0), {}),
        "demux": ((6.16e-07, 6.144e-05, 3.7847039999999995e-11, -1.6276146686675807e-12, 0.0, 2.5633257498705334e-12, 0.0, 1.9541500000000004e-11), {}),
        "demux_default": ((5.796552689609419e-06, 1.0868000000000002e-05, 6.299693463067518e-11, 2.7715669454405723e-12, 0.0, 2.7651274677877636e-13, 0.0, 1.9541500000000004e-11), {}),
        "ls_row": ((2.048e-05, 6.256958399999999e-05, 1.2814250803199998e-09, 1.4774594302448584e-11, 2.954918860489717e-11, 1.3633928473920897e-13, 3.3240161477585775e-13, 0.0), {"ramp_output": 67378963726.629265}),
        "ls_col": ((2.0856528e-05, 6.144e-05, 1.2814250803199998e-09, 3.319908705408025e-11, 1.6599543527040125e-11, 4.544642824640299e-13, 2.0620080738792886e-13, 0.0), {}),
    },
    "xbar32hp": {
        "sm_row": ((1.6384e-05, 2.72384e-05, 4.462739456e-10, 1.3475488987140542e-11, 1.000000000018681, 2.530533139460561e-13, 5.98207606589707e-13, 1.4121812773770491e-05), {"res_tg": 1100.0}),
        "sm_col": ((1.1334400000000001e-05, 3.2768e-05, 3.7140561920000007e-10, 1.5629179514208478e-10, 2.0000000000541664, 4.455732775935537e-13, 4.951936155902823e-13, 1.4121812773770491e-05), {}),
        "sm_col_mem": ((6.826873469387756e-06, 3.11296e-05, 2.1251784035265307e-10, 0.0, 0.0, 1.117712721603071e-13, 1.669174069180651e-13, 7.060906386885246e-06), {}),
        "sm_row_default": ((5.7344000000000005e-05, 3.4048e-06, 1.9524485120000002e-10, 0.0, 0.0, 1.1865001242722692e-13, 2.5782730812557265e-13, 7.060906386885246e-06), {}),
        "sm_col_par": ((6.826873469387756e-06, 3.11296e-05, 2.1251784035265307e-10, 0.0, 0.0, 1.1139331939838842e-13, 2.2514060207343512e-13, 7.060906386885246e-06), {}),
        "nsm": ((1.6384e-05, 3.50208e-05, 5.737807872000001e-10, 1.1905398879536218e-11, 1.0000000000238107, 4.201220839146097e-13, 2.3199837622469915e-13, 1.4121812773770491e-05), {"res_tg": 869.7718631178707}),
        "nsm_default": ((5.7344000000000005e-05, 4.3776e-06, 2.5102909440000006e-10, 1.1812173708147775e-11, 0.0, 2.0372667766364191e-13, 0.0, 7.060906386885246e-06), {}),
        "mux_analog": ((1.7166248608534323e-06, 3.2768e-05, 5.625036344044527e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "mux_override": ((2.5749372912801485e-06, 3.2768e-05, 8.437554516066791e-11, 3.4947611228892854e-11, 0.0, 3.6513945996259565e-14, 0.0, 0.0), {"res_tg": 550.0, "cap_tg_gate_n": 6.044745076363636e-16, "cap_tg_gate_p": 7.710134025974025e-16}),
        "mux_default": ((6.36791836734694e-07, 3.11296e-05, 1.982307516081633e-11, 2.414510669997372e-12, 0.0, 4.9489783717763575e-15, 0.0, 0.0), {}),
        "mux_fpga": ((3.5840000000000003e-06, 4.096e-06, 1.4680064000000003e-11, 4.430426548790277e-12, 0.0, 5.987635663569717e-15, 0.0, 0.0), {}),
        "mux_fpga_default": ((8.960000000000001e-07, 1.55648e-05, 1.3946060800000002e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "newmux_1t1r": ((5.376000000000001e-06, 3.2768e-05, 1.7616076800000004e-10, 3.947760859398849e-11, 2e-08, 4.661017980366051e-14, 6.93649735080711e-13, 0.0), {}),
        "newmux_xbar": ((8.960000000000001e-07, 9.33888e-05, 8.367636480000001e-11, 0.0, 0.0, 4.661017980366051e-14, 2.5937862267248184e-13, 0.0), {}),
        "demux": ((8.960000000000001e-07, 3.2768e-05, 2.9360128000000005e-11, -9.233150991833572e-13, 0.0, 1.0326140867944985e-12, 0.0, 6.685145520912548e-08), {}),
        "demux_default": ((3.4567497142857144e-06, 1.5808000000000002e-05, 5.464429948342858e-11, 1.7171914506425322e-12, 0.0, 1.255312488700537e-13, 0.0, 6.685145520912548e-08), {}),
        "ls_row": ((1.6384e-05, 2.89408e-05, 4.741660672e-10, 4.5494976227367965e-12, 9.098995245473593e-12, 1.3984559725894265e-13, 1.6271640752026928e-13, 0.0), {"ramp_output": 318447509411.5646}),
        "ls_col": ((1.44704e-05, 3.2768e-05, 4.741660672e-10, 9.098995245473593e-12, 4.5494976227367965e-12, 4.661519908631422e-13, 8.135820376013464e-14, 0.0), {}),
    },
    "sram2": {
        "sm_row": ((5.376e-05, 1.2600000000000002e-06, 6.773760000000001e-11, 1.0990393266715037e-10, 1.0000000001523592, 3.853558934784001e-14, 3.614127192000001e-14, 3.653470679040001e-09), {"res_tg": 4895.657127335649}),
        "sm_col": ((2.2800000000000003e-07, 0.0001536, 3.50208e-11, 2.1980786533430074e-10, 2.0000000000761795, 7.174350144000002e-14, 9.377357184000003e-14, 3.653470679040001e-09), {}),
        "sm_col_mem": ((9.64e-07, 1.1520000000000002e-05, 1.1105280000000002e-11, 0.0, 0.0, 1.8074616955200006e-14, 3.9661277760000014e-14, 1.8267353395200005e-09), {}),
        "sm_row_default": ((1.4852571428571427e-05, 1.3500000000000002e-06, 2.005097142857143e-11, 0.0, 0.0, 2.0599713987840005e-14, 1.8205396560000004e-14, 1.8267353395200005e-09), {}),
        "sm_col_par": ((9.64e-07, 1.1520000000000002e-05, 1.1105280000000002e-11, 0.0, 0.0, 1.7935875360000005e-14, 4.362196176000001e-14, 1.8267353395200005e-09), {}),
        "nsm": ((5.376e-05, 2.3400000000000005e-06, 1.2579840000000003e-10, 1.131967110301788e-09, 1.0000000022639342, 1.0257148731648004e-13, 4.007841240000001e-14, 3.653470679040001e-09), {"res_tg": 815.9428545559416}),
        "nsm_default": ((1.4852571428571427e-05, 2.3400000000000005e-06, 3.4755017142857146e-11, 1.131967110301788e-09, 0.0, 5.128574365824002e-14, 0.0, 1.8267353395200005e-09), {}),
        "mux_analog": ((1.1400000000000001e-07, 0.0001536, 1.75104e-11, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "mux_override": ((1.7100000000000004e-07, 0.0001536, 2.6265600000000003e-11, 1.6919812092854553e-09, 0.0, 1.6808231232000003e-15, 0.0, 0.0), {"res_tg": 4895.657127335649, "cap_tg_gate_n": 7.974000000000001e-17, "cap_tg_gate_p": 7.974000000000001e-17}),
        "mux_default": ((2.18e-07, 1.1520000000000002e-05, 2.5113600000000003e-12, 9.614022927461968e-13, 0.0, 1.6595911488000002e-15, 0.0, 0.0), {}),
        "mux_fpga": ((1.14e-07, 1.92e-05, 2.1888e-12, 1.2253178177757482e-11, 0.0, 5.602743744000001e-16, 0.0, 0.0), {}),
        "mux_fpga_default": ((1.14e-07, 5.760000000000001e-06, 6.566400000000001e-13, 0.0, 0.0, 0.0, 0.0, 0.0), {}),
        "newmux_1t1r": ((1.1400000000000001e-07, 0.0001536, 1.75104e-11, 2.304057338e-10, 2e-08, 5.251242147840001e-15, 2.8123430400000005e-14, 0.0), {}),
        "newmux_xbar": ((1.1400000000000001e-07, 3.456000000000001e-05, 3.939840000000001e-12, 0.0, 0.0, 5.251242147840001e-15, 1.1353555200000002e-14, 0.0), {}),
        "demux": ((1.14e-07, 0.0001536, 1.75104e-11, 9.88451953125e-14, 0.0, 4.3799305661280007e-13, 0.0, 7.135684920000002e-12), {}),
        "demux_default": ((7.380000000000002e-07, 5.850000000000001e-06, 4.3173000000000014e-12, 5.3224335937500016e-14, 0.0, 2.8543456562400005e-14, 0.0, 7.135684920000002e-12), {}),
        "ls_row": ((5.376e-05, 3.423175714285714e-05, 1.8402992639999997e-09, 1.0090028438192061e-11, 2.0180056876384122e-11, 8.4101297904e-14, 6.494580759325e-13, 0.0), {"ramp_output": 75676336926.82747}),
        "ls_col": ((1.1981114999999999e-05, 0.0001536, 1.8402992639999997e-09, 2.345759524267963e-11, 1.1728797621339816e-11, 2.8033765968000004e-13, 4.0472903796625e-13, 0.0), {}),
    },
}


@pytest.mark.parametrize(("config", "tag"), golden_cases(GOLDEN))
def test_matches_reference(config, tag):
    s = periphery_setup(config)
    ours, scan_cycles = SCENARIOS[tag](s)
    assert s.p.synchronous  # the reference figure counts the scan chain in clock cycles
    check(ours, GOLDEN[config][tag], scan_cycles)


# ---- properties ---------------------------------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), which=st.sampled_from(["unit_cap_f", "unit_res_ohm"]),
       factor=st.floats(1.01, 50.0))
def test_switch_matrix_delay_grows_with_line_rc(config, which, factor):
    s = periphery_setup(config)
    spec = sm_spec(s, ROW_MODE, 128, s.res_row, True, False, 8, 8, 1, fit_height_m=s.h_array)
    base = switch_matrix(spec, env_of(s)).cost("read", activity_row_read=1.0).latency_s
    more = dataclasses.replace(spec, **{which: getattr(spec, which) * factor})
    assert switch_matrix(more, env_of(s)).cost("read", activity_row_read=1.0).latency_s > base > 0


@pytest.mark.parametrize(("config", "buffered"), [("sram22", False), ("sram2", True)])
def test_switch_matrix_repeater_input_cap_counts_only_with_repeaters(config, buffered):
    s = periphery_setup(config)
    spec = sm_spec(s, ROW_MODE, 128, s.res_row, True, False, 8, 8, 1, fit_height_m=s.h_array)
    latencies = [switch_matrix(dataclasses.replace(spec, repeater_cap_in_f=cap), env_of(s))
                 .cost("read", activity_row_read=1.0).latency_s for cap in (0.0, 1e-14)]
    assert (latencies[1] > latencies[0]) == buffered


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), activity=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5))
def test_data_dependent_reads_are_vectorised(config, activity):
    s = periphery_setup(config)
    acts = np.array(activity)
    for m in (switch_matrix(sm_spec(s, ROW_MODE, 128, s.res_row, True, False, 8, 8, 1), env_of(s)),
              new_switch_matrix(nsm_spec(s, 128), env_of(s)),
              new_mux(NewMuxSpec(num_input=128, read_voltage_v=s.cell.read_voltage), env_of(s)),
              level_shifter(ls_spec(s, fit_width_m=s.w_array), env_of(s))):
        batched = m.cost("read", activity_row_read=acts).energy_j
        scalar = [m.cost("read", activity_row_read=float(a)).energy_j for a in activity]
        np.testing.assert_allclose(batched, scalar, rtol=1e-12, atol=1e-30)
        assert np.all(np.diff(batched[np.argsort(acts)]) >= 0)  # more active rows, more energy


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), cap=st.floats(0.0, 1e-12), n_sel=st.integers(2, 16))
def test_mux_delay_grows_with_load_and_area_with_inputs(config, cap, n_sel):
    s = periphery_setup(config)
    spec = mux_spec(s, 16, n_sel, s.res_row, False, load_cap_f=cap)
    m = mux(spec, env_of(s))
    assert mux(dataclasses.replace(spec, load_cap_f=cap + 1e-15), env_of(s)).cost("read").latency_s \
        > m.cost("read").latency_s > 0
    assert mux(dataclasses.replace(spec, num_selection=n_sel + 1), env_of(s)).area_m2 > m.area_m2


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_switch_matrix_grows_with_lines(config):
    s = periphery_setup(config)
    for mode in (ROW_MODE, COL_MODE):
        small, big = (switch_matrix(sm_spec(s, mode, n, 5e3, True, False, 8, 8, 1), env_of(s)) for n in (64, 128))
        assert big.area_m2 > small.area_m2 and big.leakage_w > small.leakage_w
        assert big.cost("scan").energy_j > small.cost("scan").energy_j


def test_level_shifter_needs_a_width_or_height():
    s = periphery_setup("rram22")
    with pytest.raises(ValueError, match="width or the height"):
        level_shifter(ls_spec(s), env_of(s))


def test_new_mux_has_a_finite_default_tg_resistance():
    s = periphery_setup("rram22")
    m = new_mux(NewMuxSpec(num_input=32, read_voltage_v=s.cell.read_voltage, load_cap_f=s.cap_col), env_of(s))
    assert 0 < m.port("res_tg_ohm") < 1e6
    assert 0 < m.cost("read", activity_row_read=1.0).latency_s < 1e-6


def test_models_are_immutable():
    s = periphery_setup("sram22")
    m = mux(mux_spec(s, 16, 8, 8e3, False), env_of(s))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.width_m = 1.0
    with pytest.raises(TypeError):
        m.ports["res_tg_ohm"] = 0.0


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_quirks_of_new_switch_matrix_and_demux_act_only_under_reference_compat(config):
    s = periphery_setup(config)
    corrected = dataclasses.replace(env_of(s), compat="corrected")
    spec = nsm_spec(s, 128, fit_height_m=s.h_array)
    # a planar pMOS conducts less than an nMOS of the same width (the FinFET/GAA fits are equal): the
    # corrected TG is more resistive
    fixed_r, quirky_r = (new_switch_matrix(spec, e).port("res_tg_ohm") for e in (corrected, env_of(s)))
    assert fixed_r > quirky_r if s.tech.feature_size_in_nano > 14 else fixed_r == pytest.approx(quirky_r)
    folded = demux_spec(s, 128, 128, fit_width_m=s.w_array)
    quirky, fixed = demux(folded, env_of(s)), demux(folded, corrected)
    assert fixed.height_m != quirky.height_m
    assert fixed.cost("read").latency_s > 0 and fixed.area_m2 > 0
