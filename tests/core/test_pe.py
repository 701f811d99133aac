"""Tests of the processing-element model (neurosim_core.pe).

Golden values: the reference NeuroSim V1.4 ProcessingUnitInitialize / ProcessingUnitCalculateArea /
ProcessingUnitCalculatePerformance (compiled reference objects; driver /tmp/pe_tile_drv/pedrv.cpp),
main's argv ``8 8 128 128``, default Param.cpp (SRAM) and Param.cpp with ``memcelltype = 2`` (RRAM),
PE of 2 x 2 subarrays initialised with (2, 2, 2, 2), novel-mapping PE, on layer 3 (Conv3) of
tests/data/traces_vgg8: cell codes rows 0..255 x columns 0..255, the first 50 windows
(400 input bit-vectors); array duplication (1, 1) (weights split over the 4 subarrays) and (2, 1)
(duplicated subarrays, adder tree per position).  Clock pass, then
``param->clkFreq = min(clkFreq, 1/clkPeriod)`` and the performance pass.
"""
from pathlib import Path

import numpy as np
import pytest

from neurosim_core.cell import make_cell
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.pe import PE, num_bit_subarray_output
from neurosim_core.tech import technology
from neurosim_core.traces import input_bit_matrix, load_npz_dir, weight_cell_codes

DATA = Path(__file__).resolve().parents[1] / "data" / "traces_vgg8"

GOLDEN_PE = {'rram_dup11': {'area0': 1.3933478602736635e-07,
                'area1': 3.3568960512000007e-09,
                'area2': 5.533639372800001e-09,
                'area3': 2.0286482621183995e-08,
                'area4': 1.5225323520000003e-09,
                'buffer_dynamic_energy': 1.916635470596994e-10,
                'buffer_latency': 195.0,
                'clk_period': 1.6633648884276657e-09,
                'core_energy_accum': 3.3798787027724084e-09,
                'core_energy_adc': 1.6330103686140962e-08,
                'core_energy_other': 5.632415637882922e-09,
                'core_latency_accum': 50.0,
                'core_latency_adc': 3200.0,
                'core_latency_other': 195.0,
                'height': 0.00037327575065541874,
                'ic_dynamic_energy': 8.677496965305139e-10,
                'ic_latency': 0.0,
                'leakage': 7.090814254745184e-07,
                'leakage_sram_in_use': 0.0,
                'read_dynamic_energy': 2.5342398026796024e-08,
                'read_latency': 3445.0,
                'width': 0.00037327575065541874},
 'rram_dup21': {'area0': 1.3933478602736635e-07,
                'area1': 3.3568960512000007e-09,
                'area2': 5.533639372800001e-09,
                'area3': 2.0286482621183995e-08,
                'area4': 1.5225323520000003e-09,
                'buffer_dynamic_energy': 1.916635470596994e-10,
                'buffer_latency': 195.0,
                'clk_period': 1.6633648884276657e-09,
                'core_energy_accum': 3.487411251362279e-09,
                'core_energy_adc': 1.6330103686140962e-08,
                'core_energy_other': 5.632415637882922e-09,
                'core_latency_accum': 25.0,
                'core_latency_adc': 1600.0,
                'core_latency_other': 195.0,
                'height': 0.00037327575065541874,
                'ic_dynamic_energy': 8.677496965305139e-10,
                'ic_latency': 0.0,
                'leakage': 7.090814254745184e-07,
                'leakage_sram_in_use': 0.0,
                'read_dynamic_energy': 2.544993057538589e-08,
                'read_latency': 1820.0,
                'width': 0.00037327575065541874},
 'sram_dup11': {'area0': 2.7960329186240002e-08,
                'area1': 6.496791347199999e-09,
                'area2': 5.8389388288e-09,
                'area3': 5.150184723200001e-09,
                'area4': 8.88143872e-09,
                'buffer_dynamic_energy': 1.916635470596994e-10,
                'buffer_latency': 195.0,
                'clk_period': 1.6974048944394672e-09,
                'core_energy_accum': 3.3798787027724084e-09,
                'core_energy_adc': 2.243858383337043e-08,
                'core_energy_other': 4.202817236768712e-09,
                'core_latency_accum': 50.0,
                'core_latency_adc': 3200.0,
                'core_latency_other': 195.0,
                'height': 0.0001672134240611082,
                'ic_dynamic_energy': 3.3839647992418396e-10,
                'ic_latency': 0.0,
                'leakage': 8.636527540099156e-07,
                'leakage_sram_in_use': 2.1446656000000003e-07,
                'read_dynamic_energy': 3.002127977291143e-08,
                'read_latency': 3445.0,
                'width': 0.0001672134240611082},
 'sram_dup21': {'area0': 2.7960329186240002e-08,
                'area1': 6.496791347199999e-09,
                'area2': 5.8389388288e-09,
                'area3': 5.150184723200001e-09,
                'area4': 8.88143872e-09,
                'buffer_dynamic_energy': 1.916635470596994e-10,
                'buffer_latency': 195.0,
                'clk_period': 1.6974048944394672e-09,
                'core_energy_accum': 3.487411251362279e-09,
                'core_energy_adc': 2.243858383337043e-08,
                'core_energy_other': 4.202817236768712e-09,
                'core_latency_accum': 25.0,
                'core_latency_adc': 1600.0,
                'core_latency_other': 195.0,
                'height': 0.0001672134240611082,
                'ic_dynamic_energy': 3.3839647992418396e-10,
                'ic_latency': 0.0,
                'leakage': 8.636527540099156e-07,
                'leakage_sram_in_use': 2.1446656000000003e-07,
                'read_dynamic_energy': 3.0128812321501305e-08,
                'read_latency': 1820.0,
                'width': 0.0001672134240611082}}


@pytest.fixture(scope="module")
def slices():
    trace = load_npz_dir(DATA)[2]
    codes = weight_cell_codes(trace.weight_q, 8, 8, 1)[:256, :256]
    bits = input_bit_matrix(trace.input_q, 8, 50)[:256]
    return codes, bits


@pytest.mark.parametrize("mem", ["sram", "rram"])
@pytest.mark.parametrize("dup", [(1, 1), (2, 1)])
def test_pe_matches_reference(slices, mem, dup):
    codes, bits = slices
    p = resolve(HardwareConfig(mem_cell=mem))
    tech = technology(p.tech_node_nm, p.roadmap)
    pe = PE(p, tech, make_cell(p, tech))
    pe.initialize(2, 2, 2, 2)
    parts, height, width, buffer_area = pe.calculate_area(2, 2, True)
    assert buffer_area == 0.0
    args = (codes, bits, *dup, 2, 2, 256, 256, 400, True)
    clk_period = pe.calculate_performance(*args, True).clk_period
    perf = pe.calculate_performance(*args, False, clk_freq=min(p.clk_freq_hz, 1 / clk_period))
    ours = ({f"area{i}": v for i, v in enumerate(parts)} | {"height": height, "width": width}
            | perf._asdict() | {"clk_period": clk_period})
    for key, value in GOLDEN_PE[f"{mem}_dup{dup[0]}{dup[1]}"].items():
        assert ours[key] == pytest.approx(value, rel=1e-11, abs=0), key


def test_clock_pass_only_reports_the_clock():
    p = resolve(HardwareConfig())
    tech = technology(p.tech_node_nm, p.roadmap)
    pe = PE(p, tech, make_cell(p, tech))
    pe.initialize(1, 1, 1, 1)
    pe.calculate_area(1, 1, False)
    bits = np.zeros((4, 16), dtype=np.uint8)
    bits[0, ::2] = 1
    perf = pe.calculate_performance(np.ones((4, 8), np.uint8), bits, 1, 1, 1, 1, 4, 8, 16, False, True,
                                    clk_period=0.5)
    assert perf.clk_period == 0.5 and perf.read_latency == 0.0  # the running maximum is kept


@pytest.mark.parametrize("changes,bits", [
    ({}, 5 + 0 + 8 + 7 + 1),  # log2(32) + ceil(log2(128//128)) + input bits + 7 extra weight bits + 1
    ({"num_row_parallel": 48}, 5 + 1 + 8 + 7 + 1),  # 128 // 48 = 2 row groups (C int division)
    ({"mem_cell": "rram", "cell_bit": 2}, 5 + 0 + 8 + 6 + 1),
    ({"operation_mode": "conventional_sequential"}, 7 + 1 + 8 + 7 + 1),
])
def test_num_bit_subarray_output(changes, bits):
    assert num_bit_subarray_output(resolve(HardwareConfig(**changes))) == bits


def _direct_totals(pe, weights, inputs, clk_pass, clk_freq):
    """The per-vector evaluation (every vector through `subarray.read_latency` / `read_energy`,
    summed), which the reference's per-vector loop is checked against in test_subarray / test_golden."""
    from neurosim_core.kernels import subarray_read_inputs
    from neurosim_core.subarray import read_energy, read_latency, sensing_cycle

    sa = pe.subarray
    activity, resistance = subarray_read_inputs(inputs, weights, pe.p, pe.cell, sa.res_cell_access)
    if clk_pass:
        return sensing_cycle(sa).period_s, None
    latency = read_latency(sa, activity, clk_freq)
    energy = read_energy(sa, resistance, activity)[:4]
    sums = [np.sum(v) for v in (*latency, *energy)]
    return float(np.max(latency[0])), sums + [sa.leakage, sa.leakage_sram_in_use_w]


@pytest.mark.parametrize("changes", [
    {},
    {"operation_mode": "conventional_sequential"},
    {"adc_type": "sar"},
    {"mem_cell": "rram"},
    {"mem_cell": "rram", "operation_mode": "conventional_sequential"},
    {"mem_cell": "rram", "cell_bit": 2, "adc_type": "sar", "num_row_parallel": 32},
    {"mem_cell": "fefet", "cell_bit": 2, "level_output": 16, "roadmap": "hp"},
    {"mem_cell": "rram", "current_mode": False},
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default")
def test_tabulated_subarray_equals_per_vector_evaluation(slices, changes):
    """`PE._evaluate_subarray` reads per-vector results from a table indexed by the active-row count
    (plus the eNVM ADC column term per vector); it must equal evaluating every vector directly."""
    codes_all, bits_all = slices
    p = resolve(HardwareConfig(**changes))
    tech = technology(p.tech_node_nm, p.roadmap)
    pe = PE(p, tech, make_cell(p, tech))
    pe.initialize(2, 2, 2, 2)
    pe.calculate_area(2, 2, True)
    codes = weight_cell_codes(load_npz_dir(DATA)[2].weight_q, 8, 8, p.cell_bit)[:128, :100]
    bits = bits_all[:128].copy()
    bits[:, :7] = 0  # some vectors with no active row
    bits[:90, 7] = 1  # and a dense one
    for clk_pass in (True, False):
        pe._subarray_clk = 5e8
        max_latency, totals = pe._evaluate_subarray(codes, bits, clk_pass)
        want_max, want = _direct_totals(pe, codes, bits, clk_pass, 5e8)
        assert max_latency == pytest.approx(want_max, rel=1e-12)
        if clk_pass:
            assert totals is None
            continue
        got = [totals.read_latency, totals.latency_adc, totals.latency_accum, totals.latency_other, totals.energy,
               totals.energy_adc, totals.energy_accum, totals.energy_other, totals.leakage,
               totals.leakage_sram_in_use]
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=0)
        assert totals.energy > 0 and totals.energy_adc > 0
