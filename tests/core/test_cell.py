"""MemCell set-up against the reference NeuroSim V1.4 (ProcessingUnitInitialize + SubArray::Initialize)."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosim_core.cell import MemCell, make_cell, res_mem_cell
from neurosim_core.constants import CellAccessType, MemCellType
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.tech import technology

# Golden values: a C++ driver linked against the reference V1.4 objects set the global Param
# from our resolved Params (cell type, access, node, roadmap, temperature, feature size, cell
# sizes, resistances, read voltage, wire resistances), called
# ProcessingUnitInitialize(subArray, inputParameter, tech, cell, 2, 2, 2, 2) and printed every
# MemCell field (%.17g).  res_cell_access of SRAM is the SubArray's resCellAccess (the access
# transistor on-resistance); for eNVM it is MemCell::resCellAccess.
GOLDEN = [
    ({'mem_cell': 'sram', 'tech_node_nm': 130},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.0, 'width_in_feature_size': 28.0, 'feature_size': 1.7500000000000002e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 51213.83438643167, 'read_voltage': 0.58, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 1.4117476507590042e-15, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 65},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.0, 'width_in_feature_size': 28.0, 'feature_size': 1.05e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 74884.6153846154, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 5.896408871479261e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 22},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.0, 'width_in_feature_size': 28.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 86357.32243511004, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 1.5591964355492122e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 14},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.6, 'width_in_feature_size': 30.8, 'feature_size': 3.2e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 30542.08176436784, 'read_voltage': 0.277, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 2.22606848e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 7},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 16.0, 'width_in_feature_size': 34.43, 'feature_size': 2e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 23861.333824283738, 'read_voltage': 0.264, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 2.1106913892000002e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 3},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 30.0, 'width_in_feature_size': 68.26, 'feature_size': 1.2000000000000002e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 23121.65030300552, 'read_voltage': 0.248, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 1.5090400000000002e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 1},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 80.0, 'width_in_feature_size': 144.0, 'feature_size': 8e-09, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 20845.58081821514, 'read_voltage': 0.272, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 1.42448e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 65, 'roadmap': 'hp', 'temperature_k': 350},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.0, 'width_in_feature_size': 28.0, 'feature_size': 1.05e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25550.527903469083, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 4.229761421479262e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'sram', 'tech_node_nm': 22, 'temperature_k': 377},
     {'mem_cell_type': 0.0, 'access_type': 0.0, 'height_in_feature_size': 10.0, 'width_in_feature_size': 28.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 123087.8231004223, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.1, 'width_access_cmos': 1.0, 'width_sram_cell_nmos': 1.0, 'width_sram_cell_pmos': 1.0, 'cap_sram_cell': 1.5591964355492122e-16, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 130, 'roadmap': 'hp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 1.7500000000000002e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.58, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.1324731182795699, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 130, 'roadmap': 'lstp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 1.7500000000000002e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.58, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.40971067509145337, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 65, 'roadmap': 'hp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 1.05e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.1861538461538462, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 65, 'roadmap': 'lstp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 1.05e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.5990769230769233, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 22, 'roadmap': 'hp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.3173333333333333, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 22, 'roadmap': 'lstp'},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.6908585794808803, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 22, 'temperature_k': 333, 'resistance_on_ohm': 50000.0, 'resistance_off_ohm': 850000.0},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 4e-08, 'resistance_on': 50000.0, 'resistance_off': 850000.0, 'resistance_avg': 450000.0, 'resistance_access': 12500.0, 'res_cell_access': 12500.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 1.6090672463372866, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 22, 'access': 'none'},
     {'mem_cell_type': 1.0, 'access_type': 3.0, 'height_in_feature_size': 2.0, 'width_in_feature_size': 2.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 0.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.0, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'rram', 'tech_node_nm': 22, 'resistance_on_ohm': 6000.0, 'resistance_off_ohm': 60000.0},
     {'mem_cell_type': 1.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 4e-08, 'resistance_on': 6000.0, 'resistance_off': 60000.0, 'resistance_avg': 33000.0, 'resistance_access': 1500.0, 'res_cell_access': 1500.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 11.514309658014671, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'fefet', 'tech_node_nm': 22},
     {'mem_cell_type': 2.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 4e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.6908585794808803, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'fefet', 'tech_node_nm': 14},
     {'mem_cell_type': 2.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 3.2e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.277, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.2443366541149427, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'fefet', 'tech_node_nm': 7},
     {'mem_cell_type': 2.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 2e-08, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.264, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.1908906705942699, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'fefet', 'tech_node_nm': 1},
     {'mem_cell_type': 2.0, 'access_type': 0.0, 'height_in_feature_size': 4.0, 'width_in_feature_size': 12.0, 'feature_size': 8e-09, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 25000.0, 'read_voltage': 0.272, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.16676464654572115, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
    ({'mem_cell': 'fefet', 'tech_node_nm': 65, 'access': 'none', 'temperature_k': 310},
     {'mem_cell_type': 2.0, 'access_type': 3.0, 'height_in_feature_size': 2.0, 'width_in_feature_size': 2.0, 'feature_size': 1.05e-07, 'resistance_on': 100000.0, 'resistance_off': 1700000.0, 'resistance_avg': 900000.0, 'resistance_access': 25000.0, 'res_cell_access': 0.0, 'read_voltage': 0.55, 'read_pulse_width': 1e-08, 'access_voltage': 1.1, 'write_voltage': 2.0, 'min_sense_voltage': 0.0, 'width_access_cmos': 0.0, 'width_sram_cell_nmos': 0.0, 'width_sram_cell_pmos': 0.0, 'cap_sram_cell': 0.0, 'max_num_level_ltp': 0.0, 'max_num_level_ltd': 0.0, 'write_pulse_width': 0.0}),
]

# the reference aborts ("Transistor width of 1T1R ... is larger than the assigned cell width")
ABORTS = [
    {'mem_cell': 'fefet', 'tech_node_nm': 14, 'resistance_on_ohm': 5000.0, 'resistance_off_ohm': 50000.0},
]


def _make(cfg):
    p = resolve(HardwareConfig(**cfg))
    return make_cell(p, technology(p.cfg.tech_node_nm, p.cfg.roadmap))


@pytest.mark.parametrize("cfg,expected", GOLDEN, ids=[str(sorted(c.items())) for c, _ in GOLDEN])
def test_cell_matches_reference(cfg, expected):
    cell = _make(cfg)
    for name, ref in expected.items():
        ours = float(getattr(cell, name))
        assert ours == ref or math.isclose(ours, ref, rel_tol=1e-9), (name, ours, ref)


@pytest.mark.parametrize("cfg", ABORTS)
def test_oversized_access_transistor_is_an_error(cfg):
    with pytest.raises(ValueError, match="exceeds the cell width"):
        _make(cfg)


def test_types_and_immutability():
    cell = _make(dict(mem_cell="rram", tech_node_nm=22, access="none"))
    assert isinstance(cell, MemCell)
    assert cell.mem_cell_type is MemCellType.RRAM and cell.access_type is CellAccessType.none_access
    assert not cell.is_sram
    with pytest.raises(Exception):
        cell.resistance_on = 1.0


def test_res_mem_cell_1t1r_and_crossbar():
    cell = _make(dict(mem_cell="rram", tech_node_nm=22))
    on, off, avg = res_mem_cell(cell, 128)
    assert on == cell.resistance_on + cell.res_cell_access
    assert off == cell.resistance_off + cell.res_cell_access
    assert min(on, off) / 2 < avg < max(on, off)  # parallel combination of on and off, times n
    assert math.isclose(avg, 2 * on * off / (on + off), rel_tol=1e-12)
    xbar = _make(dict(mem_cell="rram", tech_node_nm=22, access="none"))
    assert res_mem_cell(xbar, 1)[:2] == (xbar.resistance_on, xbar.resistance_off)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([130, 90, 65, 45, 32, 22]), st.floats(2e4, 1e6))
def test_access_transistor_narrows_as_ron_grows(node, r_on):
    base = dict(mem_cell="rram", tech_node_nm=node, resistance_off_ohm=r_on * 20)
    narrow = _make(dict(base, resistance_on_ohm=r_on * 1.5))
    wide = _make(dict(base, resistance_on_ohm=r_on))
    assert narrow.width_access_cmos < wide.width_access_cmos
    assert math.isclose(wide.width_access_cmos * wide.res_cell_access,
                        narrow.width_access_cmos * narrow.res_cell_access, rel_tol=1e-12)
