"""Switching circuits (NeuroSim V1.4 SwitchMatrix / NewSwitchMatrix / Mux / NewMux / DeMux /
LevelShifter models) against reference golden values, plus properties.

Golden values: see ``test_dff.py`` (reference V1.4 objects run by a C++ driver with exactly the
scenario inputs below).  The reference ``NewMux`` never sets its TG resistance, so its scenario
sets ``res_tg = 2 kohm`` on both sides before ``calculate_latency``.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.circuits.switching import DeMux, LevelShifter, Mux, NewMux, NewSwitchMatrix, SwitchMatrix
from neurosim_core.constants import COL_MODE, ROW_MODE

from .test_dff import CONFIGS, NONE, OVERRIDE, assert_matches_reference, golden_cases, periphery_setup


# ---- scenarios (same calls as the reference driver) ---------------------------------------

def _switch_matrix(s, mode, num_output, res_tg, neuro, parallel_write, act_col, n_mem, n_neuro, pulses):
    m = SwitchMatrix(s.p, s.tech, s.cell)
    m.initialize(mode, num_output, res_tg, neuro, parallel_write, 0.3, act_col, n_mem, n_neuro, pulses, 1e9)
    return m


def _wire(s):
    return dict(unit_cap=s.unit_cap, unit_res=s.unit_res, drive_cap_in=s.drive_cap_in)


def _sm_row(s):
    m = _switch_matrix(s, ROW_MODE, 128, s.res_row, True, False, 0.5, 8, 8, 1)
    m.calculate_area(s.h_array, 0, NONE)
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 2, **_wire(s))
    m.calculate_power(1, 2, 0.3, 0.5)
    return m


def _sm_col(s):
    m = _switch_matrix(s, COL_MODE, 128, s.res_col * 128, True, False, 0.5, 8, 8, 1)
    m.calculate_area(0, s.w_array, NONE)
    m.calculate_latency(1e20, s.cap_col, s.res_col, 2, 1, **_wire(s))
    m.calculate_power(2, 1, 0.3, 0.5)
    return m


def _sm_col_mem(s):
    m = _switch_matrix(s, COL_MODE, 64, 5e3, False, False, 0.5, 7, 8, 3)
    m.calculate_area(0, 0, NONE)
    m.calculate_power(1, 1, 0.3, 0.5)
    return m


def _sm_row_default(s):
    m = _switch_matrix(s, ROW_MODE, 64, 5e3, True, True, 0.25, 7, 8, 3)
    m.calculate_area(0, 0, NONE)
    m.calculate_power(1, 1, 0.3, 0.25)
    return m


def _sm_col_par(s):
    m = _switch_matrix(s, COL_MODE, 64, 5e3, True, True, 0.25, 7, 8, 3)
    m.calculate_area(0, 0, NONE)
    m.calculate_power(1, 1, 0.3, 0.25)
    return m


def _nsm(s):
    m = NewSwitchMatrix(s.p, s.tech, s.cell)
    m.initialize(128, 0.3, 1e9)
    m.calculate_area(s.h_array, 0, NONE)
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 2)
    m.calculate_power(1, 2, 0.4)
    return m


def _nsm_default(s):
    m = NewSwitchMatrix(s.p, s.tech, s.cell)
    m.initialize(64, 0.3, 1e9)
    m.calculate_area(0, 0, NONE)
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 0)
    m.calculate_power(1, 0, 0.4)
    return m


def _mux_analog(s):
    m = Mux(s.p, s.tech, s.cell)
    m.initialize(16, 8, s.res_row, False)
    m.calculate_area(0, s.w_array, NONE)
    return m


def _mux_override(s):
    m = _mux_analog(s)
    m.calculate_area(m.height * 1.5, s.w_array, OVERRIDE)
    m.calculate_latency(1e20, s.cap_col, 3)
    m.calculate_power(3)
    return m


def _mux_default(s):
    m = Mux(s.p, s.tech, s.cell)
    m.initialize(16, 8, 8e3, False)
    m.calculate_area(0, 0, NONE)
    m.calculate_latency(0, 0, 1)
    m.calculate_power(1)
    return m


def _mux_fpga(s):
    m = Mux(s.p, s.tech, s.cell)
    m.initialize(16, 4, 0, True)
    m.calculate_area(0, s.w_array / 8, NONE)
    m.calculate_latency(0, 1e-15, 1)
    m.calculate_power(1)
    return m


def _mux_fpga_default(s):
    m = Mux(s.p, s.tech, s.cell)
    m.initialize(16, 4, 0, True)
    m.calculate_area(0, 0, NONE)
    return m


def _newmux_1t1r(s):
    m = NewMux(s.p, s.tech, s.cell)
    m.initialize(128)
    m.calculate_area(0, s.w_array, NONE)
    m.res_tg = 2e3
    m.calculate_latency(1e20, s.cap_col, 1, 2)
    m.calculate_power(1, 2, 3, True, 0.3, 0.5)
    return m


def _newmux_xbar(s):
    m = NewMux(s.p, s.tech, s.cell)
    m.initialize(64)
    m.calculate_area(0, 0, NONE)
    m.calculate_power(2, 1, 3, False, 0.3, 0.5)
    return m


def _demux(s):
    m = DeMux(s.p, s.tech, s.cell)
    m.initialize(128, 128)
    m.calculate_area(0, s.w_array, NONE)
    m.calculate_latency(1e20, 2)
    m.calculate_power(2)
    return m


def _demux_default(s):
    m = DeMux(s.p, s.tech, s.cell)
    m.initialize(32, 64)
    m.calculate_area(0, 0, NONE)
    m.calculate_latency(1e20, 1)
    m.calculate_power(1)
    return m


def _ls_row(s):
    m = LevelShifter(s.p, s.tech, s.cell)
    m.initialize(128, 0.3, 1e9)
    m.calculate_area(s.h_array, 0, NONE)
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 2)
    m.calculate_power(1, 2, 0.9)
    return m


def _ls_col(s):
    m = LevelShifter(s.p, s.tech, s.cell)
    m.initialize(128, 0.5, 1e9)
    m.calculate_area(0, s.w_array, NONE)
    m.calculate_latency(1e20, s.cap_col, s.res_col, 2, 1)
    m.calculate_power(2, 1, 0.1)
    return m


SCENARIOS = {
    "sm_row": _sm_row, "sm_col": _sm_col, "sm_col_mem": _sm_col_mem, "sm_row_default": _sm_row_default,
    "sm_col_par": _sm_col_par, "nsm": _nsm, "nsm_default": _nsm_default, "mux_analog": _mux_analog,
    "mux_override": _mux_override, "mux_default": _mux_default, "mux_fpga": _mux_fpga,
    "mux_fpga_default": _mux_fpga_default, "newmux_1t1r": _newmux_1t1r, "newmux_xbar": _newmux_xbar,
    "demux": _demux, "demux_default": _demux_default, "ls_row": _ls_row, "ls_col": _ls_col,
}

# Reference NeuroSim V1.4 modules, run by the golden driver with the scenario inputs above:
# ((height, width, area, read_latency, write_latency, read_dynamic_energy, write_dynamic_energy, leakage),
#  {other attributes})
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
    component = SCENARIOS[tag](periphery_setup(config))
    assert_matches_reference(component, GOLDEN[config][tag])


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), which=st.sampled_from(["unit_cap", "unit_res"]),
       factor=st.floats(1.01, 50.0))
def test_switch_matrix_delay_grows_with_line_rc(config, which, factor):
    s = periphery_setup(config)
    m = _switch_matrix(s, ROW_MODE, 128, s.res_row, True, False, 0.5, 8, 8, 1)
    m.calculate_area(s.h_array, 0, NONE)
    wire = _wire(s)
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 1, **wire)
    base = m.read_latency
    wire[which] *= factor
    m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 1, **wire)
    assert m.read_latency > base > 0


@pytest.mark.parametrize(("config", "buffered"), [("sram22", False), ("sram2", True)])
def test_switch_matrix_repeater_input_cap_counts_only_with_repeaters(config, buffered):
    s = periphery_setup(config)
    m = _switch_matrix(s, ROW_MODE, 128, s.res_row, True, False, 0.5, 8, 8, 1)
    m.calculate_area(s.h_array, 0, NONE)
    latencies = []
    for drive_cap_in in (0.0, 1e-14):
        m.calculate_latency(1e20, s.cap_row, s.res_row, 1, 1, unit_cap=s.unit_cap, unit_res=s.unit_res,
                            drive_cap_in=drive_cap_in)
        latencies.append(m.read_latency)
    assert (latencies[1] > latencies[0]) == buffered


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)),
       vectors=st.lists(st.tuples(st.integers(0, 8), st.floats(0.0, 1.0)), min_size=1, max_size=5))
def test_read_energy_batches_over_input_vectors(config, vectors):
    s = periphery_setup(config)
    num_read = np.array([v[0] for v in vectors], dtype=float)
    activity = np.array([v[1] for v in vectors])

    def per_vector(make, call):
        scalar = []
        for n, a in vectors:
            m = make()
            call(m, n, a)
            scalar.append(float(m.read_dynamic_energy))
        m = make()
        call(m, num_read, activity)
        np.testing.assert_allclose(m.read_dynamic_energy, scalar, rtol=1e-12, atol=1e-30)

    def sm():
        m = _switch_matrix(s, ROW_MODE, 128, s.res_row, True, False, 0.5, 8, 8, 1)
        m.calculate_area(s.h_array, 0, NONE)
        return m

    def nsm():
        m = NewSwitchMatrix(s.p, s.tech, s.cell)
        m.initialize(128, 0.3, 1e9)
        m.calculate_area(s.h_array, 0, NONE)
        return m

    def newmux():
        m = NewMux(s.p, s.tech, s.cell)
        m.initialize(128)
        m.calculate_area(0, s.w_array, NONE)
        return m

    per_vector(sm, lambda m, n, a: m.calculate_power(n, 1, a, 0.5))
    per_vector(nsm, lambda m, n, a: m.calculate_power(n, 1, a))
    per_vector(newmux, lambda m, n, a: m.calculate_power(n, 1, 3, True, a, 0.5))


@settings(max_examples=20, deadline=None)
@given(config=st.sampled_from(sorted(CONFIGS)), cap=st.floats(0.0, 1e-12), num_read=st.integers(1, 16))
def test_mux_delay_is_linear_in_reads_and_grows_with_load(config, cap, num_read):
    s = periphery_setup(config)
    m = _mux_analog(s)
    m.calculate_latency(1e20, cap, 1)
    one = m.read_latency
    m.calculate_latency(1e20, cap, num_read)
    assert m.read_latency == pytest.approx(one * num_read, rel=1e-12)
    m.calculate_latency(1e20, cap + 1e-15, 1)
    assert m.read_latency > one > 0


def test_level_shifter_needs_a_width_or_height():
    s = periphery_setup("rram22")
    m = LevelShifter(s.p, s.tech, s.cell)
    m.initialize(64, 0.3, 1e9)
    with pytest.raises(ValueError, match="width or the height"):
        m.calculate_area(0, 0, NONE)


def test_new_mux_has_a_finite_default_tg_resistance():
    s = periphery_setup("rram22")
    m = NewMux(s.p, s.tech, s.cell)
    m.initialize(32)
    m.calculate_area()
    m.calculate_latency(1e20, s.cap_col, 1, 0)
    assert 0 < m.res_tg < 1e6
    assert 0 < m.read_latency < 1e-6
