"""Tests of the column ADC and sensing builders: `circuits.mlsa` (multilevel sense amp + encoder,
and their composition `circuits.mlsa_role.mlsa_adc_builder`), `circuits.adc.sar_adc` and
`circuits.sensing` (current / voltage sense amp, read circuit, comparator).

Golden values: printed by a small C++ driver linked against the reference NeuroSim V1.4 object
files (MultilevelSenseAmp.o, MultilevelSAEncoder.o, SarADC.o, CurrentSenseAmp.o,
VoltageSenseAmp.o, ReadCircuit.o, Comparator.o, formula.o, Technology.o), run with exactly the
inputs used below (Param defaults: 300 K, LSTP unless "hp", Ron 100 kohm, Roff 1.7 Mohm,
numRowParallel 128, per-node read voltage, dumcolshared = level_output unless stated).  The
reference's per-call counts (num_read = 3, 8 muxed column groups) are action counts here.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.arch import Macro, Part, Use, energy
from neurosim_core.cell import make_cell
from neurosim_core.circuits.adc import _SAR_POWER_HP, _SAR_POWER_LSTP, sar_adc
from neurosim_core.circuits.env import AdcSpec, CircuitEnv
from neurosim_core.circuits.mlsa import (
    MlsaEncoderSpec, MlsaSpec, column_power, mlsa_encoder, multilevel_sense_amp, reference_ladder,
)
from neurosim_core.circuits.mlsa_role import mlsa_adc_builder
from neurosim_core.circuits.sensing import (
    ComparatorSpec, CurrentSenseAmpSpec, ReadCircuitMode, ReadCircuitSpec, VoltageSenseAmpSpec, comparator,
    current_sense_amp, mid_reference_ohm, read_circuit, voltage_sense_amp,
)
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

RTOL = 1e-6
INF = math.inf
# column-resistance vectors (ohm) given to the reference: all open, mixed (both sides of the
# fit breakpoints), all very large, all 25 kohm
VECTORS = np.array([
    [INF] * 16,
    [300, 800, 2e3, 4831, 4833, 1e4, 2e4, 5e4, 1e5, 3e5, 379268, 379270, 1e6, 3e6, 1e9, INF],
    [1e12] * 16,
    [25e3] * 16,
])
# an extra vector for the current sense amp (every branch of its latency fit)
CSA_VECTORS = np.vstack([VECTORS, [3e5, 1.2e5, 9e4, 6e4, 5e4, 4.6e4, 2e4, 1e4, 5e3, 3e3, 2e3, 1.5e3, 1e3,
                                   1.5e6, 8e5, 2.5e5]])
PULSE_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]

# Reference V1.4 outputs (SI units) for the cases below.
GOLDEN = {
    'sweep_rram22_cur_L32': {1000.0: 1.3397992124324924e-12, 5315.0: 1.2869335988963794e-12,
        5316.0: 1.2897475907592003e-12, 50000.0: 1.1170785579204126e-12, 417195.0: 9.536366469539519e-13,
        417197.0: 9.712703628755985e-13, 10000000.0: 8.831884886285461e-13,
        1000000000.0: 7.555020305460292e-13, math.inf: 9.343520175285504e-13},
    'sweep_sram22_cur_L32': {1000.0: 1.331655460648623e-12, 5315.0: 1.2795497297845407e-12,
        5316.0: 1.2823232737358986e-12, 50000.0: 1.1121361605661415e-12, 417195.0: 9.510435399553544e-13,
        417197.0: 9.68423791398371e-13, 10000000.0: 8.816079932541663e-13,
        1000000000.0: 7.557568818263079e-13, math.inf: 9.32036105000172e-13},
    'mlsa_sram22_cur_L16': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 5397.332652194378, 'area': 4.82668032e-10, 'height': 2.4133401599999994e-05,
        'width': 2e-05, 'latency_0': 2.148282028992986e-08, 'energy_0': 1.5978727548609038e-12,
        'latency_1': 2.148282028992986e-08, 'energy_1': 1.8089296109288385e-12,
        'latency_2': 2.148282028992986e-08, 'energy_2': 1.0953700829632058e-12,
        'latency_3': 2.148282028992986e-08, 'energy_3': 1.89794082962163e-12},
    'mlsa_sram22_vol_L16': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 5397.332652194378, 'area': 4.82668032e-10, 'height': 2.4133401599999994e-05,
        'width': 2e-05, 'latency_0': 2.4000000000000003e-08, 'energy_0': 1.1416002336292053e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.0966002336292056e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 1.0936002336292055e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 1.0936002336292055e-12},
    'mlsa_rram22_cur_L16': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 6250.000000000001, 'area': 2.67075072e-10, 'height': 1.33537536e-05, 'width': 2e-05,
        'latency_0': 2.1647047500000002e-08, 'energy_0': 1.5078867148091856e-12,
        'latency_1': 2.1647047500000002e-08, 'energy_1': 1.7205570126026677e-12,
        'latency_2': 2.1647047500000002e-08, 'energy_2': 1.0048075829632058e-12,
        'latency_3': 2.1647047500000002e-08, 'energy_3': 1.8102486849748916e-12},
    'mlsa_rram22_vol_L16': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 6250.000000000001, 'area': 2.67075072e-10, 'height': 1.33537536e-05, 'width': 2e-05,
        'latency_0': 2.4000000000000003e-08, 'energy_0': 1.0510377336292057e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.0060377336292058e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 1.0030377336292057e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 1.0030377336292057e-12},
    'mlsa_sram22_cur_L32': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 10794.665304388756, 'area': 7.286422527999999e-10, 'height': 3.6432112639999995e-05,
        'width': 2e-05, 'latency_0': 2.2522368579859717e-08, 'energy_0': 2.889689565000516e-12,
        'latency_1': 2.2522368579859717e-08, 'energy_1': 3.3920253140012833e-12,
        'latency_2': 2.2522368579859717e-08, 'energy_2': 1.7945218940535644e-12,
        'latency_3': 2.2522368579859717e-08, 'energy_3': 3.5878864249448418e-12},
    'mlsa_sram22_vol_L32': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 10794.665304388756, 'area': 7.286422527999999e-10, 'height': 3.6432112639999995e-05,
        'width': 2e-05, 'latency_0': 2.4000000000000003e-08, 'energy_0': 1.7920180367532449e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.7470180367532448e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 1.7440180367532447e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 1.7440180367532447e-12},
    'mlsa_rram22_cur_L32': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 12500.000000000002, 'area': 5.058628608e-10, 'height': 2.529314304e-05, 'width': 2e-05,
        'latency_0': 2.2850823000000004e-08, 'energy_0': 2.803056052585651e-12,
        'latency_1': 2.2850823000000004e-08, 'energy_1': 3.3127176028922954e-12,
        'latency_2': 2.2850823000000004e-08, 'energy_2': 1.691917030266761e-12,
        'latency_3': 2.2850823000000004e-08, 'energy_3': 3.5114350496335277e-12},
    'mlsa_rram22_vol_L32': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 12500.000000000002, 'area': 5.058628608e-10, 'height': 2.529314304e-05, 'width': 2e-05,
        'latency_0': 2.4000000000000003e-08, 'energy_0': 1.698436786753245e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.6534367867532454e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 1.6504367867532453e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 1.6504367867532453e-12},
    'mlsa_sram22_cur_L64': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 21589.330608777513, 'area': 1.2075807744e-09, 'height': 6.037903871999999e-05,
        'width': 2e-05, 'latency_0': 2.9540471355150863e-08, 'energy_0': 6.130857507364749e-12,
        'latency_1': 2.9540471355150863e-08, 'energy_1': 7.5270194295777e-12,
        'latency_2': 2.9540471355150863e-08, 'energy_2': 3.2726511456496258e-12,
        'latency_3': 2.9540471355150863e-08, 'energy_3': 8.05290313562904e-12},
    'mlsa_sram22_vol_L64': {'res_cell_access': 86357.32243511004, 'rref_first': 674.6665815242972,
        'rref_last': 21589.330608777513, 'area': 1.2075807744e-09, 'height': 6.037903871999999e-05,
        'width': 2e-05, 'latency_0': 2.4000000000000003e-08, 'energy_0': 3.0679095232092955e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 3.022909523209295e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 3.0199095232092953e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 3.0199095232092953e-12},
    'mlsa_rram22_cur_L64': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 24999.999999999935, 'area': 9.812081664e-10, 'height': 4.906040832e-05, 'width': 2e-05,
        'latency_0': 3.0927664858593315e-08, 'energy_0': 6.151669743607951e-12,
        'latency_1': 3.0927664858593315e-08, 'energy_1': 7.613394152111755e-12,
        'latency_2': 3.0927664858593315e-08, 'energy_2': 3.159244626585873e-12,
        'latency_3': 3.0927664858593315e-08, 'energy_3': 8.163972875782493e-12},
    'mlsa_rram22_vol_L64': {'res_cell_access': 86357.32243511004, 'rref_first': 781.2499999999999,
        'rref_last': 24999.999999999935, 'area': 9.812081664e-10, 'height': 4.906040832e-05, 'width': 2e-05,
        'latency_0': 2.4000000000000003e-08, 'energy_0': 2.9728188982092954e-12,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 2.9278188982092954e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 2.924818898209295e-12,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 2.924818898209295e-12},
    'mlsa_rram22_cur_seq_L32': {'res_cell_access': 86357.32243511004, 'rref_first': 101541.42581888245,
        'rref_last': 1351282.0512820494, 'area': 5.058628608e-10, 'height': 2.529314304e-05, 'width': 2e-05,
        'latency_0': 8.466470933351082e-07, 'energy_0': 1.2443433061447486e-11,
        'latency_1': 8.466470933351082e-07, 'energy_1': 3.1894965054938663e-11,
        'latency_2': 8.466470933351082e-07, 'energy_2': 1.6522351820442445e-12,
        'latency_3': 8.466470933351082e-07, 'energy_3': 3.8689622042484306e-11},
    'mlsa_rram22_cur_dum32_L8': {'res_cell_access': 86357.32243511004, 'rref_first': 107207.2072072072,
        'rref_last': 793333.3333333342, 'area': 1.1422709760000002e-10, 'height': 5.711354880000001e-06,
        'width': 2e-05, 'latency_0': 4.80965837213064e-07, 'energy_0': 1.5365161425003795e-12,
        'latency_1': 4.80965837213064e-07, 'energy_1': 3.3939377412398567e-12,
        'latency_2': 4.80965837213064e-07, 'energy_2': 3.742115775097862e-13,
        'latency_3': 4.80965837213064e-07, 'energy_3': 4.158572265613787e-12},
    'mlsa_sram7_cur_L32': {'res_cell_access': 23861.333824283738, 'rref_first': 186.4166705022167,
        'rref_last': 2982.6667280354686, 'area': 1.7568598852985597e-10, 'height': 8.784299426492797e-06,
        'width': 2e-05, 'latency_0': 1.8994041194396967e-08, 'energy_0': 1.0442580352410678e-12,
        'latency_1': 1.8994041194396967e-08, 'energy_1': 1.0356238470023223e-12,
        'latency_2': 1.8994041194396967e-08, 'energy_2': 9.56004646162902e-13,
        'latency_3': 1.8994041194396967e-08, 'energy_3': 1.0491702941300802e-12},
    'mlsa_sram2_cur_L32': {'res_cell_access': 19386.802224249168, 'rref_first': 151.45939237694662,
        'rref_last': 2423.3502780311455, 'area': 8.579808000000002e-11, 'height': 4.289904e-06,
        'width': 2e-05, 'latency_0': 1.691902629968378e-08, 'energy_0': 4.840476413932721e-13,
        'latency_1': 1.691902629968378e-08, 'energy_1': 4.747266586176843e-13,
        'latency_2': 1.691902629968378e-08, 'energy_2': 4.103259309471601e-13,
        'latency_3': 1.691902629968378e-08, 'energy_3': 4.857328058126304e-13},
    'mlsa_rram65_cur_L32': {'res_cell_access': 74884.6153846154, 'rref_first': 781.2499999999999,
        'rref_last': 12500.000000000002, 'area': 4.41584832e-09, 'height': 0.00022079241599999997,
        'width': 2e-05, 'latency_0': 6.753684877143676e-08, 'energy_0': 1.3223490394513622e-11,
        'latency_1': 6.753684877143676e-08, 'energy_1': 1.4108350147060647e-11,
        'latency_2': 6.753684877143676e-08, 'energy_2': 1.1297889628481852e-11,
        'latency_3': 6.753684877143676e-08, 'energy_3': 1.4589158447289596e-11},
    'mlsa_rram22hp_cur_L32': {'res_cell_access': 39666.666666666664, 'rref_first': 781.2499999999999,
        'rref_last': 12500.000000000002, 'area': 5.058628608e-10, 'height': 2.529314304e-05, 'width': 2e-05,
        'latency_0': 2.2850823000000004e-08, 'energy_0': 5.900077403064685e-12,
        'latency_1': 2.2850823000000004e-08, 'energy_1': 9.647327569329757e-12,
        'latency_2': 2.2850823000000004e-08, 'energy_2': 8.537560528524607e-12,
        'latency_3': 2.2850823000000004e-08, 'energy_3': 8.679070211660302e-12},
    'sar22_L8': {'area_unit': 8.67219584e-11, 'area': 1.3875513344e-09, 'height': 6.937756672e-05,
        'width': 2e-05, 'latency': 1.2000000000000002e-08, 'energy_0': 1.9200000000000004e-13,
        'energy_1': 6.514577365804194e-12, 'energy_2': 1.1499456152027994e-12,
        'energy_3': 1.759978698173834e-12},
    'sar22_L16': {'area_unit': 1.0546708480000001e-10, 'area': 1.6874733568000001e-09,
        'height': 8.437366784e-05, 'width': 2e-05, 'latency': 1.5000000000000002e-08, 'energy_0': 2.4e-13,
        'energy_1': 8.264271707255241e-12, 'energy_2': 1.5665520190035e-12,
        'energy_3': 2.329093372717293e-12},
    'sar22_L32': {'area_unit': 1.2421221120000001e-10, 'area': 1.9873953792000002e-09,
        'height': 9.936976896000001e-05, 'width': 2e-05, 'latency': 1.8000000000000002e-08,
        'energy_0': 2.8800000000000004e-13, 'energy_1': 1.006238604870629e-11,
        'energy_2': 2.0348064228042004e-12, 'energy_3': 2.94985604726075e-12},
    'sar22_L64': {'area_unit': 1.429573376e-10, 'area': 2.2873174016e-09, 'height': 0.00011436587008,
        'width': 2e-05, 'latency': 2.1000000000000003e-08, 'energy_0': 3.3599999999999993e-13,
        'energy_1': 1.190892039015734e-11, 'energy_2': 2.5547088266049007e-12,
        'energy_3': 3.622266721804211e-12},
    'sar22_L128': {'area_unit': 1.61702464e-10, 'area': 2.587239424e-09, 'height': 0.0001293619712,
        'width': 2e-05, 'latency': 2.4000000000000003e-08, 'energy_0': 3.840000000000001e-13,
        'energy_1': 1.3803874731608386e-11, 'energy_2': 3.1262592304056003e-12,
        'energy_3': 4.3463253963476695e-12},
    'sar7_L32': {'area_unit': 3.299524103282399e-11, 'area': 5.279238565251838e-10,
        'height': 2.6396192826259188e-05, 'width': 2e-05, 'latency': 1.8000000000000002e-08,
        'energy_0': 2.8800000000000004e-13, 'energy_1': 2.751298471525058e-12,
        'energy_2': 4.075776065894953e-13, 'energy_3': 6.719900910891235e-13},
    'sar22hp_L32': {'area_unit': 1.2421221120000001e-10, 'area': 1.9873953792000002e-09,
        'height': 9.936976896000001e-05, 'width': 2e-05, 'latency': 1.8000000000000002e-08,
        'energy_0': 2.8800000000000004e-13, 'energy_1': 1.1156503571353102e-11,
        'energy_2': 1.990252824141838e-12, 'energy_3': 3.019719750510547e-12},
    'sar3_L32': {'area_unit': 1.6671744000000004e-11, 'area': 2.6674790400000007e-10,
        'height': 1.3337395200000002e-05, 'width': 2e-05, 'latency': 1.8000000000000002e-08,
        'energy_0': 2.8800000000000004e-13, 'energy_1': 2.1074250241827532e-12,
        'energy_2': 1.3000320551427877e-13, 'energy_3': 3.512711624334553e-13},
    'enc22_L16': {'area': 9.768e-11, 'height': 4.884e-06, 'width': 2e-05, 'latency': 2.893294666128868e-10,
        'ramp_output': 7236727397.650591, 'energy': 0, 'leakage': 9.044969139353549e-09},
    'enc22_L32': {'area': 2.688e-10, 'height': 1.3439999999999998e-05, 'width': 2e-05,
        'latency': 4.427916998119376e-10, 'ramp_output': 4158139640.1459994, 'energy': 0,
        'leakage': 1.93717172601133e-08},
    'enc22_L64': {'area': 4.9896e-10, 'height': 2.4948e-05, 'width': 2e-05, 'latency': 7.449790770232651e-10,
        'ramp_output': 2262697273.574197, 'energy': 0, 'leakage': 4.080842239253582e-08},
    'enc22_L32_h': {'area': 1.97750784e-10, 'height': 6.719999999999999e-06, 'width': 2.9427200000000005e-05,
        'latency': 4.427916998119376e-10, 'ramp_output': 4158139640.1459994, 'energy': 0,
        'leakage': 1.93717172601133e-08},
    'enc2_L32': {'area': 4.466117647058824e-11, 'height': 2.2330588235294118e-06, 'width': 2e-05,
        'latency': 2.5402473417825403e-10, 'ramp_output': 6222416109.24386, 'energy': 0,
        'leakage': 2.3283690173452802e-08},
    'enc7_L32': {'area': 1.2548309999999997e-10, 'height': 6.2741549999999985e-06, 'width': 2e-05,
        'latency': 3.4067149782573693e-10, 'ramp_output': 5347585915.285731, 'energy': 0,
        'leakage': 3.62305810610688e-08},
    'enc22_L32_narrow': {'area': 1.97750784e-10, 'height': 0.00010751999999999999,
        'width': 1.8392000000000003e-06, 'latency': 4.427916998119376e-10, 'ramp_output': 4158139640.1459994,
        'energy': 0, 'leakage': 1.93717172601133e-08},
    'csa22': {'area_unit': 9.0635776e-12, 'area': 1.450172416e-10, 'height': 9.063577599999999e-06,
        'width': 1.6e-05, 'latency_0': 1.2000000000000002e-08, 'energy_0': 0,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.4326258414510485e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 8.160000380069997e-14,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 2.3410827454345846e-13,
        'latency_4': 2.4000000000000003e-08, 'energy_4': 7.818115124081203e-13},
    'csa65': {'area_unit': 7.911904e-11, 'area': 1.26590464e-09, 'height': 7.911904e-05, 'width': 1.6e-05,
        'latency_0': 1.2000000000000002e-08, 'energy_0': 0, 'latency_1': 1.2e-06,
        'energy_1': 1.4850766884832273e-11, 'latency_2': 2.4000000000000003e-08,
        'energy_2': 4.0390560637146967e-13, 'latency_3': 2.4000000000000003e-08,
        'energy_3': 6.595695177013632e-13, 'latency_4': 1.2e-06, 'energy_4': 1.90230377565696e-11},
    'csa130': {'area_unit': 3.1647616e-10, 'area': 5.06361856e-09, 'height': 0.00031647616, 'width': 1.6e-05,
        'latency_0': 1.2000000000000002e-08, 'energy_0': 0, 'latency_1': 4.4966499571400575e-08,
        'energy_1': 4.345439440847554e-12, 'latency_2': 2.4000000000000003e-08,
        'energy_2': 8.683200093844897e-13, 'latency_3': 2.4000000000000003e-08,
        'energy_3': 1.244885465246414e-12, 'latency_4': 2.5929298975516087e-07,
        'energy_4': 3.4179206492626226e-12},
    'csa22hp': {'area_unit': 9.0635776e-12, 'area': 1.450172416e-10, 'height': 9.063577599999999e-06,
        'width': 1.6e-05, 'latency_0': 1.2000000000000002e-08, 'energy_0': 0,
        'latency_1': 2.4000000000000003e-08, 'energy_1': 1.6306657618921837e-12,
        'latency_2': 2.4000000000000003e-08, 'energy_2': 9.09072040236396e-14,
        'latency_3': 2.4000000000000003e-08, 'energy_3': 2.624850250850913e-13,
        'latency_4': 2.4000000000000003e-08, 'energy_4': 8.855987309813869e-13},
    'cmp22_1': {'area_unit': 1.6479232e-12, 'area': 1.6479232e-12, 'height': 8.239616e-07, 'width': 2e-06,
        'latency': 9.320194877115558e-11, 'energy': 1.0343858224236148e-15,
        'leakage': 1.7112696008912247e-10},
    'cmp22_4': {'area_unit': 6.5916928e-12, 'area': 5.27335424e-11, 'height': 2.63667712e-05, 'width': 2e-06,
        'latency': 4.1767601539907254e-10, 'energy': 8.275086579388918e-15, 'leakage': 5.476062722851919e-09},
    'vsa22': {'area_unit': 1.1329472e-12, 'area': 1.81271552e-11, 'height': 2.3800705871885394e-06,
        'width': 7.616225879003327e-06, 'latency': 3.7307123630924565e-09, 'energy': 2.8216909090909083e-13,
        'leakage': 9.474301099633456e-12},
    'rc22_cmos': {'area_unit': 7.4156544e-12, 'area': 1.186504704e-10, 'height': 3.6960000000000003e-06,
        'width': 3.21024e-05, 'latency': 3.3000000000000004e-08, 'energy': 7.241790000000001e-11,
        'leakage': 3.948079492435855e-09},
    'rc22_osc_spk': {'area_unit': 4.07860992e-11, 'area': 8.131200000000001e-10, 'height': 0.000162624,
        'width': 5e-06, 'latency': 3.3000000000000004e-08, 'energy': 7.241790000000001e-11,
        'leakage': 5.912054411729424e-07},
    'mlsa_rram22_cur_L32_350K': {'res_cell_access': 108843.48820048326, 'rref_first': 781.2499999999999,
        'rref_last': 12500.000000000002, 'area': 5.058628608e-10, 'height': 2.529314304e-05, 'width': 2e-05,
        'latency_0': 2.2850823000000004e-08, 'energy_0': 2.8778594091708417e-12,
        'latency_1': 2.2850823000000004e-08, 'energy_1': 3.420648960247418e-12,
        'latency_2': 2.2850823000000004e-08, 'energy_2': 1.6944963504012246e-12,
        'latency_3': 2.2850823000000004e-08, 'energy_3': 3.63228304102683e-12},
    'sar22_L32_350K': {'area_unit': 1.2421221120000001e-10, 'area': 1.9873953792000002e-09,
        'height': 9.936976896000001e-05, 'width': 2e-05, 'latency': 1.8000000000000002e-08,
        'energy_0': 3.0672e-13, 'energy_1': 1.0716441141872198e-11, 'energy_2': 2.167068840286473e-12,
        'energy_3': 3.1415966903326998e-12},
}


def ctx(node=22, mem="sram", roadmap="lstp", level_output=32, temperature_k=300):
    p = resolve(HardwareConfig(tech_node_nm=node, mem_cell=mem, roadmap=roadmap, level_output=level_output,
                               temperature_k=temperature_k))
    tech = technology(node, roadmap)
    return p, tech, make_cell(p, tech)


def env_of(p, tech) -> CircuitEnv:
    return CircuitEnv.of(p, tech, 1e9)


def sar(p, tech, levels, width_m=20e-6, num_adc=16):
    """The built-in SAR ADC model (the subarray's adc role) for ``num_adc`` columns."""
    spec = AdcSpec(num_adc=num_adc, levels=levels, column_cap_f=0.0, read_voltage_v=p.read_voltage, width_m=width_m,
                   parallel_read=True)
    return sar_adc(spec, CircuitEnv.of(p, tech))


def sar_energy(model, r, num_read):
    return model.cost("column_energy", column_resistance=r).energy_j * num_read


def check(name, key, value):
    assert value == pytest.approx(GOLDEN[name][key], rel=RTOL, abs=1e-30), (name, key)


# --- multilevel sense amp -------------------------------------------------------------------
# (name, node, mem, roadmap, level_output, current_mode, parallel, dumcolshared,
#  column_cap F, reference_energy_peri J, array_height m, array_width_unit m)
SRAM22 = (30e-15, 2e-15, 128 * 10 * 22e-9, 28 * 22e-9)
RRAM22 = (25e-15, 1.5e-15, 128 * 4 * 22e-9, 12 * 22e-9)
MLSA_CASES = [
    (f"mlsa_{mem}22_{'cur' if cur else 'vol'}_L{lv}", 22, mem, "lstp", lv, cur, True, lv,
     *(SRAM22 if mem == "sram" else RRAM22))
    for lv in (16, 32, 64) for mem in ("sram", "rram") for cur in (True, False)
] + [
    ("mlsa_rram22_cur_seq_L32", 22, "rram", "lstp", 32, True, False, 32, *RRAM22),
    # sequential eNVM: the ADC resolves 2**cellBit levels while the reference columns stay shared
    # by param->levelOutput (= dumcolshared) columns
    ("mlsa_rram22_cur_dum32_L8", 22, "rram", "lstp", 8, True, False, 32, *RRAM22),
    ("mlsa_sram7_cur_L32", 7, "sram", "lstp", 32, True, True, 32, 20e-15, 1e-15, 128 * 16 * 7e-9, 34.43 * 7e-9),
    ("mlsa_sram2_cur_L32", 2, "sram", "lstp", 32, True, True, 32, 20e-15, 1e-15, 128 * 42 * 2e-9, 120 * 2e-9),
    ("mlsa_rram65_cur_L32", 65, "rram", "lstp", 32, True, True, 32, 60e-15, 1e-15, 128 * 4 * 65e-9, 12 * 65e-9),
    ("mlsa_rram22hp_cur_L32", 22, "rram", "hp", 32, True, True, 32, *RRAM22),
]


def mlsa_spec(p, cell, *, levels, current, parallel=True, column_cap=25e-15, ref_energy=1.5e-15,
              array_height=0.0, width_unit=0.0, width=20e-6, **changes) -> MlsaSpec:
    """The sense amps of 16 column groups as the reference driver set them up (the ladder starts
    from the SRAM read-access resistance of the cell, or the eNVM on-state)."""
    on = cell.res_cell_access if parallel and p.mem_cell == "sram" else p.resistance_on_ohm
    spec = MlsaSpec(num_col=16, levels=levels, current_mode=current, parallel=parallel, on_resistance_ohm=on,
                    off_resistance_ohm=p.resistance_off_ohm, rows_parallel=p.num_row_parallel,
                    ref_columns_shared=p.dumcolshared, column_cap_f=column_cap, read_voltage_v=p.read_voltage,
                    reference_energy_peri_j=ref_energy, ref_column_height_m=array_height,
                    ref_column_width_m=width_unit, fit_width_m=width)
    return dataclasses.replace(spec, **changes)


def mlsa_case(case):
    name, node, mem, roadmap, lv, cur, par, dum, column_cap, ref_energy, array_height, width_unit = case
    p, tech, cell = ctx(node, mem, roadmap, level_output=dum)
    assert p.dumcolshared == dum
    if mem == "sram":
        assert cell.res_cell_access == pytest.approx(GOLDEN[name]["res_cell_access"], rel=RTOL)
    spec = mlsa_spec(p, cell, levels=lv, current=cur, parallel=par, column_cap=column_cap, ref_energy=ref_energy,
                     array_height=array_height, width_unit=width_unit)
    return spec, multilevel_sense_amp(spec, env_of(p, tech))


def conversions(model, r, num_read, groups=8):
    """(latency, energy) per vector of ``num_read`` reads of ``groups`` muxed column groups (the
    reference's calculate_latency / calculate_power), priced by the `arch` evaluator."""
    macro = Macro("adc", (Part("mlsa", model, "adc"),))
    data = {"column_resistance": np.atleast_2d(r)}
    e = energy(macro, [Use("mlsa", "convert", num_read), Use("mlsa", "column_energy", num_read, data)])
    return model.cost("convert").latency_s * groups * num_read, e.adc


@pytest.mark.parametrize("case", MLSA_CASES, ids=[c[0] for c in MLSA_CASES])
def test_mlsa_matches_reference(case):
    name = case[0]
    spec, m = mlsa_case(case)
    check(name, "rref_first", m.port("rref_first_ohm"))
    check(name, "rref_last", m.port("rref_last_ohm"))
    for key, value in (("area", m.area_m2), ("height", m.height_m), ("width", m.width_m)):
        check(name, key, value)
    latency, energy_j = conversions(m, VECTORS, 3)
    assert energy_j.shape == (len(VECTORS),)
    for i in range(len(VECTORS)):
        check(name, f"latency_{i}", latency)
        check(name, f"energy_{i}", energy_j[i])
    assert m.leakage_w == 0.0


def test_mlsa_single_vector_and_per_vector_num_read():
    name = "mlsa_rram22_cur_L16"
    case = next(c for c in MLSA_CASES if c[0] == name)
    _, m = mlsa_case(case)
    _, e = conversions(m, VECTORS[1], 3)
    assert e.shape == (1,)
    check(name, "energy_1", e[0])
    # num_read per vector scales each vector's energy (reference ran num_read = 3)
    num_read = np.array([3.0, 6.0, 0.0, 1.5])
    _, e = conversions(m, VECTORS, num_read)
    expected = [GOLDEN[name][f"energy_{i}"] * num_read[i] / 3 for i in range(4)]
    np.testing.assert_allclose(e, expected, rtol=RTOL)


@pytest.mark.parametrize("mem", ["rram", "sram"])
def test_mlsa_energy_vs_uniform_column_resistance(mem):
    """Reference sweep: the LSTP mirror-power fit jumps up at its breakpoints (5315.2 ohm and
    417196 ohm at 0.55 V read) and an open column is charged 1 uW, so energy is not monotone in R."""
    name = f"sweep_{mem}22_cur_L32"
    p, tech, cell = ctx(22, mem)
    m = multilevel_sense_amp(mlsa_spec(p, cell, levels=32, current=True), env_of(p, tech))
    resistances = list(GOLDEN[name])
    _, e = conversions(m, np.array([[r] * 16 for r in resistances]), 1)
    for r, value in zip(resistances, e):
        assert value == pytest.approx(GOLDEN[name][r], rel=RTOL)
    by_r = dict(zip(resistances, e))
    assert by_r[5316.0] > by_r[5315.0] and by_r[417197.0] > by_r[417195.0] and by_r[INF] > by_r[1e9]


# breakpoints of the 22 nm LSTP mirror-power fit in raw column ohms (fit is in ohms at 0.5 V)
_SEGMENTS_22 = [(1.0, 4832 * 0.55 / 0.5), (4832 * 0.55 / 0.5, 379269 * 0.55 / 0.5), (379269 * 0.55 / 0.5, 1e13)]


@settings(max_examples=60, deadline=None)
@given(segment=st.sampled_from(_SEGMENTS_22), u=st.floats(0, 1), v=st.floats(0, 1),
       mem=st.sampled_from(["sram", "rram"]), level_output=st.sampled_from([8, 16, 32, 64]))
def test_mlsa_energy_never_rises_with_resistance_within_a_fit_segment(segment, u, v, mem, level_output):
    """Within one segment of the mirror-power fit, less column current never costs more energy."""
    lo, hi = segment
    lo, hi = lo * (1 + 1e-9), hi * (1 - 1e-9)  # stay clear of the breakpoints after scaling
    r1, r2 = sorted(lo * (hi / lo) ** np.array([u, v]))
    p, tech, cell = ctx(22, mem, level_output=level_output)
    m = multilevel_sense_amp(mlsa_spec(p, cell, levels=level_output, current=True, ref_energy=1e-15),
                             env_of(p, tech))
    _, e = conversions(m, np.array([[r1] * 16, [r2] * 16]), 1)
    assert e[1] <= e[0] * (1 + 1e-12)


@pytest.mark.parametrize("node,mem", [(22, "sram"), (22, "rram"), (7, "sram"), (65, "rram")])
def test_mlsa_area_grows_with_levels(node, mem):
    areas = []
    for level_output in (2, 4, 8, 16, 32, 64, 128, 256):
        p, tech, cell = ctx(node, mem, level_output=level_output)
        spec = mlsa_spec(p, cell, levels=level_output, current=True, array_height=128 * 4 * node * 1e-9,
                         width_unit=12 * node * 1e-9)
        areas.append(multilevel_sense_amp(spec, env_of(p, tech)).area_m2)
    assert all(b > a for a, b in zip(areas, areas[1:]))


def test_mlsa_ladder_spans_the_parallel_rows_and_a_size_is_needed():
    p, tech, cell = ctx(22, "sram")
    spec = mlsa_spec(p, cell, levels=32, current=True, on_resistance_ohm=1280.0)
    ladder = reference_ladder(spec)
    assert ladder[0] == pytest.approx(10.0)  # 1280 ohm / 128 rows in parallel
    assert len(ladder) == 31 and np.all(np.diff(ladder) > 0)  # one reference per level boundary, rising R
    with pytest.raises(ValueError, match="width or height"):
        multilevel_sense_amp(dataclasses.replace(spec, fit_width_m=0.0), env_of(p, tech))


def test_mlsa_and_sar_at_350_kelvin():
    """The power fits scale by 1 + 1.3e-3 per kelvin above 300 K (reference run at 350 K)."""
    name = "mlsa_rram22_cur_L32_350K"
    p, tech, cell = ctx(22, "rram", temperature_k=350)
    m = multilevel_sense_amp(mlsa_spec(p, cell, levels=32, current=True, column_cap=RRAM22[0], ref_energy=RRAM22[1]),
                             env_of(p, tech))
    latency, e = conversions(m, VECTORS, 3)
    for i in range(len(VECTORS)):
        check(name, f"latency_{i}", latency)
        check(name, f"energy_{i}", e[i])
    name = "sar22_L32_350K"
    e = sar_energy(sar(p, tech, 32), VECTORS, 3)
    for i in range(len(VECTORS)):
        check(name, f"energy_{i}", e[i])


@pytest.mark.parametrize("node,roadmap,current_mode,levels", [
    (22, "lstp", True, 32), (7, "lstp", True, 16), (130, "lstp", True, 8), (14, "lstp", True, 64),
    (22, "hp", True, 32), (45, "hp", True, 16), (22, "lstp", False, 32)])
def test_mlsa_fused_column_energy_equals_column_power_formula(node, roadmap, current_mode, levels):
    """The compiled column-energy sum must equal max(0, (column_power + reference power) x sensing time)
    summed over columns, with column_power the NumPy fit (checked against the reference above)."""
    p = resolve(HardwareConfig(mem_cell="rram" if node >= 22 else "fefet", tech_node_nm=node, roadmap=roadmap,
                               level_output=levels, current_mode=current_mode))
    tech = technology(p.tech_node_nm, p.roadmap)
    spec = mlsa_spec(p, make_cell(p, tech), levels=levels, current=current_mode, column_cap=3e-14)
    env = env_of(p, tech)
    m = multilevel_sense_amp(spec, env)
    rng = np.random.default_rng(node)
    r = np.vstack([VECTORS, 10 ** rng.uniform(2, 8, size=(20, 16))])
    r[5, 3] = 0.0
    sense = m.port("sense_latency_s")
    assert sense == (m.cost("convert").latency_s if current_mode else 1e-9)
    ref = np.sum(column_power(spec, env, reference_ladder(spec)[1:-1]) / p.dumcolshared)
    want = np.maximum((column_power(spec, env, r) + ref) * sense, 0.0).sum(axis=1)
    np.testing.assert_allclose(m.cost("column_energy", column_resistance=r).energy_j, want, rtol=1e-12)


def test_mlsa_role_composes_the_sense_amps_and_the_encoder():
    """`mlsa_adc_builder`: the subarray's adc role is the sense amps then the encoder."""
    p, tech, cell = ctx(22, "rram")
    env = env_of(p, tech)
    adc = AdcSpec(num_adc=16, levels=32, column_cap_f=25e-15, read_voltage_v=p.read_voltage, width_m=20e-6,
                  parallel_read=True)
    role = mlsa_adc_builder(p, cell, parallel=True, res_cell_access=cell.res_cell_access, array_height=1e-5,
                            array_width_unit=3e-7, reference_energy_peri=lambda: 1.5e-15)(adc, env)
    sa = multilevel_sense_amp(mlsa_spec(p, cell, levels=32, current=bool(p.current_mode), column_cap=25e-15,
                                        array_height=1e-5, width_unit=3e-7), env)
    enc = mlsa_encoder(MlsaEncoderSpec(levels=32, num_encoder=16, fit_width_m=20e-6), env)
    assert role.area_m2 == sa.area_m2 + enc.area_m2 and role.leakage_w == enc.leakage_w
    assert role.cost("convert").latency_s == sa.cost("convert").latency_s + enc.cost("encode").latency_s
    assert role.port("energy_per_column_j") * 16 == pytest.approx(sa.cost("convert").energy_j, rel=1e-15)
    np.testing.assert_array_equal(role.cost("column_energy", column_resistance=VECTORS).energy_j,
                                  sa.cost("column_energy", column_resistance=VECTORS).energy_j)
    for ours, theirs in zip(role.compiled["column_energy"], sa.compiled["column_energy"], strict=True):
        np.testing.assert_array_equal(ours, theirs)  # the compiled fit travels with the role


# --- SAR ADC -------------------------------------------------------------------------------
SAR_CASES = [(f"sar22_L{lv}", 22, "lstp", lv) for lv in (8, 16, 32, 64, 128)] + [
    ("sar7_L32", 7, "lstp", 32), ("sar22hp_L32", 22, "hp", 32), ("sar3_L32", 3, "lstp", 32)]


@pytest.mark.parametrize("case", SAR_CASES, ids=[c[0] for c in SAR_CASES])
def test_sar_adc_matches_reference(case):
    name, node, roadmap, level_output = case
    p, tech, cell = ctx(node, "sram", roadmap)
    model = sar(p, tech, level_output)
    for key, value in (("area_unit", model.port("area_unit_m2")), ("area", model.area_m2),
                       ("height", model.height_m), ("width", model.width_m)):
        check(name, key, value)
    check(name, "latency", model.cost("convert").latency_s * 3)
    e = sar_energy(model, VECTORS, 3)
    assert e.shape == (len(VECTORS),)
    for i in range(len(VECTORS)):
        check(name, f"energy_{i}", e[i])
    check(name, "energy_3", sar_energy(model, VECTORS[3], 3)[0])


@pytest.mark.parametrize("node,roadmap", [(22, "lstp"), (22, "hp"), (65, "lstp"), (7, "lstp"), (1, "lstp")])
def test_sar_area_grows_with_bits(node, roadmap):
    p, tech, cell = ctx(node, "sram", roadmap)
    areas = [sar(p, tech, level_output).area_m2 for level_output in (2, 4, 8, 16, 32, 64, 128, 256)]
    assert all(b > a for a, b in zip(areas, areas[1:]))


@settings(max_examples=40, deadline=None)
@given(node=st.sampled_from([130, 65, 22, 14, 7, 3, 1]), bits=st.integers(1, 8),
       r=st.lists(st.floats(10.0, 1e12), min_size=2, max_size=2))
def test_sar_energy_never_rises_with_finite_resistance(node, bits, r):
    p, tech, cell = ctx(node, "sram")
    lo, hi = sorted(r)
    e = sar_energy(sar(p, tech, 2 ** bits), np.array([[lo] * 16, [hi] * 16]), 1)
    assert e[1] <= e[0]


# --- MLSA encoder --------------------------------------------------------------------------
ENCODER_CASES = [("enc22_L16", 22, 16, 20e-6, 0), ("enc22_L32", 22, 32, 20e-6, 0), ("enc22_L64", 22, 64, 20e-6, 0),
                 ("enc22_L32_h", 22, 32, 0, 5e-6), ("enc2_L32", 2, 32, 20e-6, 0), ("enc7_L32", 7, 32, 20e-6, 0),
                 ("enc22_L32_narrow", 22, 32, 1e-6, 0)]


@pytest.mark.parametrize("case", ENCODER_CASES, ids=[c[0] for c in ENCODER_CASES])
def test_encoder_matches_reference(case):
    name, node, num_level, new_width, new_height = case
    p, tech, cell = ctx(node, "sram")
    enc = mlsa_encoder(MlsaEncoderSpec(levels=num_level, num_encoder=16, fit_width_m=new_width,
                                       fit_height_m=new_height), env_of(p, tech))
    for key, value in (("area", enc.area_m2), ("height", enc.height_m), ("width", enc.width_m)):
        check(name, key, value)
    check(name, "latency", enc.cost("encode").latency_s * 3)
    check(name, "ramp_output", enc.port("ramp_output_per_s"))
    check(name, "leakage", enc.leakage_w)
    assert enc.cost("encode").energy_j == GOLDEN[name]["energy"] == 0


# --- current sense amp ---------------------------------------------------------------------
CSA_CASES = [("csa22", 22, "lstp"), ("csa65", 65, "lstp"), ("csa130", 130, "lstp"), ("csa22hp", 22, "hp")]


def csa(p, tech, max_width_m=1e-6):
    spec = CurrentSenseAmpSpec(num_col=16, ref_resistance_ohm=mid_reference_ohm(1 / p.max_conductance,
                                                                                 1 / p.min_conductance),
                               read_voltage_v=p.read_voltage, max_width_m=max_width_m)
    return current_sense_amp(spec, env_of(p, tech))


@pytest.mark.parametrize("case", CSA_CASES, ids=[c[0] for c in CSA_CASES])
def test_current_sense_amp_matches_reference(case):
    name, node, roadmap = case
    p, tech, cell = ctx(node, "rram", roadmap)
    m = csa(p, tech)
    for key, value in (("area_unit", m.port("area_unit_m2")), ("area", m.area_m2), ("height", m.height_m),
                       ("width", m.width_m)):
        check(name, key, value)
    cost = m.cost("sense", column_resistance=CSA_VECTORS)
    assert cost.latency_s.shape == cost.energy_j.shape == (len(CSA_VECTORS),)
    for i in range(len(CSA_VECTORS)):
        check(name, f"latency_{i}", cost.latency_s[i] * 8 * 3)
        check(name, f"energy_{i}", cost.energy_j[i] * 3)


@settings(max_examples=30, deadline=None)
@given(node=st.sampled_from([130, 65, 45, 22]), r=st.lists(st.floats(1e2, 1e9), min_size=1, max_size=16))
def test_current_sense_amp_time_is_clamped_and_an_open_column_costs_nothing_extra(node, r):
    p, tech, cell = ctx(node, "rram")
    m = csa(p, tech)
    cost = m.cost("sense", column_resistance=np.array([r]))
    assert 0.5e-9 <= cost.latency_s[0] <= 50e-9 and cost.energy_j[0] >= 0
    with_open = m.cost("sense", column_resistance=np.array([r + [INF]]))
    assert with_open.energy_j[0] == pytest.approx(cost.energy_j[0], rel=1e-12)  # no sensing time, no energy


# --- comparator, voltage sense amp, read circuit -------------------------------------------
@pytest.mark.parametrize("name,num_bit,num_comparator", [("cmp22_1", 1, 1), ("cmp22_4", 4, 8)])
def test_comparator_matches_reference(name, num_bit, num_comparator):
    p, tech, cell = ctx(22, "sram")
    spec = ComparatorSpec(num_bit=num_bit, num_comparator=num_comparator, cap_load_f=1e-15, active=2,
                          activity=p.epsilon if p.validated else 1.0, width_m=2e-6)
    m = comparator(spec, env_of(p, tech))
    for key, value in (("area_unit", m.port("area_unit_m2")), ("area", m.area_m2), ("height", m.height_m),
                       ("width", m.width_m)):
        check(name, key, value)
    check(name, "latency", m.cost("compare").latency_s * 3)
    check(name, "energy", m.cost("compare").energy_j * 3)
    check(name, "leakage", m.leakage_w)


def test_comparator_corrected_counts_no_negative_middle_stage():
    """V1.4 counts (num_bit - 2) middle carry stages, -1 for a 1-bit comparator (quirk); corrected: 0."""
    p, tech, cell = ctx(22, "sram")

    def latency(num_bit, compat):
        env = dataclasses.replace(env_of(p, tech), compat=compat)
        return comparator(ComparatorSpec(num_bit=num_bit, num_comparator=1, cap_load_f=1e-15), env).cost(
            "compare").latency_s

    assert latency(1, "corrected") > latency(1, "neurosim_v14") > 0
    assert latency(2, "corrected") == latency(2, "neurosim_v14")  # no middle stage: both modes agree
    assert latency(5, "corrected") == latency(5, "neurosim_v14") > latency(4, "neurosim_v14")


def test_voltage_sense_amp_matches_reference():
    name = "vsa22"
    p, tech, cell = ctx(22, "rram")
    assert cell.read_voltage == 0.55
    m = voltage_sense_amp(VoltageSenseAmpSpec(num_col=16, max_width_m=1e-6, cap_input_load_f=50e-15,
                                              res_on_ohm=125e3, res_off_ohm=1.725e6, read_voltage_v=cell.read_voltage),
                          env_of(p, tech))
    for key, value in (("area_unit", m.port("area_unit_m2")), ("area", m.area_m2), ("height", m.height_m),
                       ("width", m.width_m)):
        check(name, key, value)
    check(name, "latency", m.cost("sense").latency_s * 3)
    check(name, "energy", m.cost("sense").energy_j * 3)
    check(name, "leakage", m.leakage_w)


@pytest.mark.parametrize("name,mode,spiking,new_width", [("rc22_cmos", ReadCircuitMode.CMOS, False, 0.0),
                                                         ("rc22_osc_spk", ReadCircuitMode.OSCILLATION, True, 5e-6)])
def test_read_circuit_matches_reference(name, mode, spiking, new_width):
    p, tech, cell = ctx(22, "rram")
    assert cell.read_pulse_width == 10e-9
    m = read_circuit(ReadCircuitSpec(mode=mode, num_col=16, max_num_int_bit=5, spiking=spiking,
                                     read_pulse_width_s=cell.read_pulse_width, fit_width_m=new_width), env_of(p, tech))
    for key, value in (("area_unit", m.port("area_unit_m2")), ("area", m.area_m2), ("height", m.height_m),
                       ("width", m.width_m)):
        check(name, key, value)
    cost = m.cost("read", pulse_counts=PULSE_COUNTS)
    check(name, "latency", cost.latency_s * 3)
    check(name, "energy", cost.energy_j * 3)
    check(name, "leakage", m.leakage_w)
    # vectorised over input vectors: one energy per row of pulse counts
    batch = m.cost("read", pulse_counts=np.array([PULSE_COUNTS, np.zeros(19), np.eye(19)[0]])).energy_j
    np.testing.assert_allclose(batch, [cost.energy_j, 0.0, 4.74e-14], rtol=1e-12)
    with pytest.raises(ValueError, match="19 values"):
        m.cost("read", pulse_counts=[1, 2, 3])


@pytest.mark.parametrize("node,roadmap", [(22, "lstp"), (65, "hp"), (3, "lstp")])
def test_sar_fused_column_energy_equals_column_energy(node, roadmap):
    p = resolve(HardwareConfig(tech_node_nm=node, roadmap=roadmap, adc_type="sar"))
    tech = technology(p.tech_node_nm, p.roadmap)
    model = sar(p, tech, 32)
    r = np.vstack([VECTORS, 10 ** np.random.default_rng(1).uniform(2, 8, size=(10, 16))])
    r[5, 0] = 0.0
    # the per-node power fit written out with NumPy (independent of the compiled kernel)
    a, b, c, e = (_SAR_POWER_HP.get(node, _SAR_POWER_HP[7]) if roadmap == "hp" else _SAR_POWER_LSTP[node])
    x = r * (0.5 / p.read_voltage)
    with np.errstate(divide="ignore"):
        power = (a * 5 + b) * 1e-6 + c * np.exp(e * np.log10(x))
    power = np.where(x == 0, 0.0, np.where(np.isinf(x), 1e-6, power))
    want = (power * 6e-9).sum(axis=1)
    np.testing.assert_allclose(sar_energy(model, r, 1), want, rtol=1e-12)
