"""Tests of the processing-element model (neurosim_core.pe).

Golden values: the reference NeuroSim V1.4 ProcessingUnitInitialize / ProcessingUnitCalculateArea /
ProcessingUnitCalculatePerformance (compiled reference objects; driver /tmp/pe_tile_drv/pedrv.cpp;
its output names are kept as the golden keys, translated by ``_reference_outputs``),
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
from neurosim_core.pe import PE, PEJob, PEShape, num_bit_subarray_output
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



#: the reference's PE outputs, by the name of the figure that reports them (`LevelCost.columns`)
REFERENCE_NAMES = {
    "read_latency": "read_latency", "read_dynamic_energy": "read_dynamic_energy",
    "buffer_latency": "buffer_latency", "buffer_read_dynamic_energy": "buffer_dynamic_energy",
    "ic_latency": "ic_latency", "ic_read_dynamic_energy": "ic_dynamic_energy",
    "adc_read_latency": "core_latency_adc", "accum_read_latency": "core_latency_accum",
    "other_read_latency": "core_latency_other", "adc_read_dynamic_energy": "core_energy_adc",
    "accum_read_dynamic_energy": "core_energy_accum", "other_read_dynamic_energy": "core_energy_other",
}


def _reference_outputs(cost) -> dict:
    out = {REFERENCE_NAMES[k]: v for k, v in cost.columns().items()}
    return out | {"leakage": cost.leakage_w, "leakage_sram_in_use": cost.leakage_in_use_w}


def _reference_area(area) -> dict:
    """[area, ADC, accumulation, other, array] as the reference's area vector (registers are "other")."""
    parts = area.parts
    values = [area.total_m2, parts.adc, parts.accumulation, parts.other + parts.buffer, parts.array]
    return {f"area{i}": v for i, v in enumerate(values)} | {"height": area.height_m, "width": area.width_m}


@pytest.fixture(scope="module")
def slices():
    trace = load_npz_dir(DATA)[2]
    codes = weight_cell_codes(trace.weight_q, 8, 8, 1)[:256, :256]
    bits = input_bit_matrix(trace.input_q, 8, 50)[:256]
    return codes, bits


def _pe(**changes):
    p = resolve(HardwareConfig(**changes))
    tech = technology(p.tech_node_nm, p.roadmap)
    return PE(p, tech, make_cell(p, tech))


@pytest.mark.parametrize("mem", ["sram", "rram"])
@pytest.mark.parametrize("dup", [(1, 1), (2, 1)])
def test_pe_matches_reference(slices, mem, dup):
    codes, bits = slices
    pe = _pe(mem_cell=mem)
    p = pe.p
    shape = PEShape(2, 2)
    assert shape == PEShape.of(p, 256) and shape.side == 2
    job = PEJob(weights=codes, inputs=bits, num_vectors=400, matrix_rows=256, matrix_cols=256, shape=shape,
                copies=dup)
    clk_period = pe.sensing_period(job)
    cost = pe.read(job, min(p.clk_freq_hz, 1 / clk_period))
    ours = _reference_area(pe.area(shape.side)) | _reference_outputs(cost) | {"clk_period": clk_period}
    for key, value in GOLDEN_PE[f"{mem}_dup{dup[0]}{dup[1]}"].items():
        assert ours[key] == pytest.approx(value, rel=1e-11, abs=0), key
    # the breakdown is the tags': the accumulation energy is the subarrays' plus the adder tree's
    assert cost.energy.total == pytest.approx(GOLDEN_PE[f"{mem}_dup{dup[0]}{dup[1]}"]["read_dynamic_energy"],
                                              rel=1e-11)


def test_sensing_period_reads_every_vector():
    pe = _pe()
    bits = np.zeros((4, 16), dtype=np.uint8)
    bits[0, ::2] = 1
    job = PEJob(weights=np.ones((4, 8), np.uint8), inputs=bits, num_vectors=16, matrix_rows=4, matrix_cols=8,
                shape=PEShape(1, 1))
    period = pe.sensing_period(job)
    assert 0 < period < 1e-6
    bits[1, 1] = 1  # one more active row on one vector: a longer (or equal) sensing delay
    assert pe.sensing_period(job) >= period


def test_duplicated_pe_shares_the_vectors(slices):
    """Overlap rule: two copies of the weights halve the subarray latency; the energy does not halve."""
    codes, bits = slices
    pe = _pe()
    costs = {}
    for dup in ((1, 1), (2, 1)):
        job = PEJob(weights=codes, inputs=bits, num_vectors=400, matrix_rows=256, matrix_cols=256,
                    shape=PEShape(2, 2), copies=dup)
        costs[dup] = pe.read(job, 5e8)
    one, two = costs[(1, 1)], costs[(2, 1)]
    assert two.timing.adc == pytest.approx(one.timing.adc / 2, rel=1e-12)
    assert two.energy.adc == pytest.approx(one.energy.adc, rel=1e-12)
    assert two.energy.accumulation > one.energy.accumulation  # the adder tree runs behind each block


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
    pe = _pe(**changes)
    p = pe.p
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
        t, e = totals.timing, totals.energy
        got = [t.total, t.adc, t.accumulation, t.other, e.total, e.adc, e.accumulation, e.other, totals.leakage_w,
               totals.leakage_in_use_w]
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=0)
        assert e.total > 0 and e.adc > 0
