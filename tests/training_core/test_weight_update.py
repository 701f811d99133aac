"""Weight-update write workload: pulse counting from old vs new conductance, and the write energies."""
from __future__ import annotations

import numpy as np
import pytest

from neurosim_core.training.traces import load_training_npz_dir
from neurosim_core.training.weight_update import (array_write_energy, envm_conductance, sram_cell_values,
                                                  subarray_blocks, write_workload)

from .conftest import TRACES21

G_MAX, G_MIN = 1 / 240e3, 1 / 24e6  # V2.1 default Ron / Roff
#: cells with dG >= dG_min (README of shared/reference/neurosim_v21, from the traces: 2/3/5-pulse cells)
WRITTEN_CELLS = {"Conv0": 98 + 55, "Conv1": 1988 + 960, "FC2": 252 + 143 + 1}


@pytest.fixture(scope="module")
def traces():
    return {t.name: t for t in load_training_npz_dir(TRACES21)}


def _workload(t, cell="fefet", compat="neurosim_v21", sub=128, **kw):
    g_new = envm_conductance(t.weight_new, g_max=G_MAX, g_min=G_MIN)
    g_old = envm_conductance(t.weight_old, g_max=G_MAX, g_min=G_MIN)
    order, starts, cols = subarray_blocks(t.rows, t.c_out, sub, sub)
    return write_workload(g_new, g_old, cell=cell, row_order=order, row_block_starts=starts, sub_cols=cols,
                          g_max=G_MAX, g_min=G_MIN, max_levels=60, write_voltage=4.0, write_pulse_width=50e-9,
                          polarization_uc_cm2=20.0, feature_size_m=32e-9, compat=compat, **kw)


@pytest.mark.parametrize("name", sorted(WRITTEN_CELLS))
def test_written_cells_match_the_reference_trace_statistics(traces, name):
    w = _workload(traces[name])
    assert w.written_cells.sum() == WRITTEN_CELLS[name]


def test_pulse_slots_are_row_maxima_of_set_and_reset(traces):
    t = traces["Conv0"]  # 27 rows x 128 cols: one sub-array
    w = _workload(t)
    assert w.set_pulses.shape == (1,)
    g_new = envm_conductance(t.weight_new, g_max=G_MAX, g_min=G_MIN)
    g_old = envm_conductance(t.weight_old, g_max=G_MAX, g_min=G_MIN)
    d = g_new - g_old
    dgm = (G_MAX - G_MIN) / 60
    p = np.where(np.abs(d) >= dgm, np.ceil(np.abs(d) / dgm), 0)
    assert w.set_pulses[0] == np.where(d > 0, p, 0).max(axis=1).sum()
    assert w.reset_pulses[0] == np.where(d < 0, p, 0).max(axis=1).sum()
    assert 2 * w.written_cells[0] <= w.total_pulses[0] * 128


def test_sub_array_tiling_is_row_block_major(traces):
    t = traces["Conv1"]  # 1152 x 128 -> 9 row blocks x 1 column block
    w = _workload(t)
    assert w.rows.tolist() == [128.0] * 9 and w.cols.tolist() == [128.0] * 9
    w64 = _workload(t, sub=64)
    assert len(w64.rows) == 18 * 2
    assert w64.written_cells.sum() == w.written_cells.sum()
    assert w64.total_pulses.sum() >= w.total_pulses.sum()  # finer column blocks: row maxima over fewer cells


def test_row_with_set_and_reset_quirk():
    new = np.array([[2.0, 0.0], [2.0, 2.0]])
    old = np.array([[0.0, 2.0], [0.0, 0.0]])
    kw = dict(cell="rram", row_order=np.arange(2), row_block_starts=[0], sub_cols=2, g_max=3.0, g_min=0.0,
              max_levels=3, write_voltage=1.0, write_pulse_width=1.0)
    v21 = write_workload(new, old, compat="neurosim_v21", **kw)
    fixed = write_workload(new, old, compat="corrected", **kw)
    assert (v21.set_rows[0], v21.reset_rows[0]) == (2, 0)
    assert (fixed.set_rows[0], fixed.reset_rows[0]) == (2, 1)
    assert fixed.set_cols_avg[0] == 1.5 and v21.set_cols_avg[0] == 1.0  # 3 SET cells over 2 rows


def test_rram_cell_energy_is_v2_over_r_avg_per_pulse():
    new = np.array([[2.0]])
    old = np.array([[1.0]])
    w = write_workload(new, old, cell="rram", row_order=np.arange(1), row_block_starts=[0], sub_cols=1, g_max=3.0,
                       g_min=0.0, max_levels=3, write_voltage=2.0, write_pulse_width=1e-9, compat="corrected")
    r_avg = (1 / 2.0 + 1 / 1.0) / 2
    assert w.cell_energy_j[0] == pytest.approx(4.0 / r_avg * 1e-9 * 1)


def test_fefet_energy_counts_polarisation_and_lines(traces):
    w = _workload(traces["FC2"])
    e = array_write_energy(w, cell="fefet", cap_row1=1e-15, cap_row2=2e-15, cap_col=3e-15, vdd=1.0, write_voltage=4.0,
                           gate_cap_fefet=2.1717e-18)
    assert np.all(e >= w.cell_energy_j) and np.all(w.cell_energy_j > 0)
    assert e.shape == w.rows.shape


def test_sram_cells_quotient_quirk():
    w = np.array([[0.5]])  # v = int(16*(0.5-1)+32+0.5) = 24 = 0b11000
    assert sram_cell_values(w, synapse_bits=5, compat="corrected").tolist() == [[1, 1, 0, 0, 0]]
    assert sram_cell_values(w, synapse_bits=5, compat="neurosim_v21").tolist() == [[0, 1, 3, 6, 12]]


def test_mlsa_v21_component():
    """V2.1's multilevel sense amp: flash area ((48 nMOS + 24 pMOS) x (levels-1) per ADC), sensing time
    clamped to 1..10 ns (1 ns at 22 nm and below), power grows with the levels."""
    from neurosim_core.tech import technology
    from neurosim_core.training.mlsa_v21 import MlsaV21Spec, build_mlsa_v21

    def build(levels, node=32, current=True):
        spec = MlsaV21Spec(num_adc=16, level_output=levels, current_mode=current, resistance_on_ohm=240e3,
                           resistance_off_ohm=24e6, ladder_rows=128, read_voltage_v=0.5, node_nm=node)
        return build_mlsa_v21(spec=spec, tech=technology(node, "lstp"), compat="neurosim_v21")

    m16, m32 = build(16), build(32)
    assert m32.area_m2 == pytest.approx(m16.area_m2 * 31 / 15)
    assert build(16, current=False).area_m2 > m16.area_m2
    r = np.full(128, 2e3)
    t = m16.sensing_time(r)
    assert 1e-9 <= t <= 10e-9
    assert build(16, node=22).sensing_time(r) == 1e-9
    lat, en = m16.convert(r, 64)
    assert lat == pytest.approx(t * 64) and en > 0
    assert m32.convert(r, 64)[1] > en


def test_weights_mapped_in_the_kernel_equal_conductances(traces):
    t = traces["Conv1"]
    a = _workload(t)
    order, starts, cols = subarray_blocks(t.rows, t.c_out, 128, 128)
    b = write_workload(t.weight_new, t.weight_old, cell="fefet", row_order=order, row_block_starts=starts,
                       sub_cols=cols, g_max=G_MAX, g_min=G_MIN, max_levels=60, write_voltage=4.0,
                       write_pulse_width=50e-9, polarization_uc_cm2=20.0, feature_size_m=32e-9,
                       compat="neurosim_v21", weights=True)
    assert np.array_equal(a.total_pulses, b.total_pulses) and np.allclose(a.cell_energy_j, b.cell_energy_j, rtol=1e-12)


@pytest.mark.parametrize("compat", ["neurosim_v21", "corrected"])
def test_sram_workload_from_weights_matches_cell_matrices(traces, compat):
    """The on-the-fly SRAM kernel (weights in, no cell matrices) counts exactly what the explicit
    `sram_cell_values` matrices give, including sub-arrays whose column blocks cut a weight's cells."""
    t = traces["Conv1"]
    kw = dict(cell="sram", row_order=np.arange(t.rows), row_block_starts=np.arange(0, t.rows, 128), sub_cols=126,
              compat=compat)
    explicit = write_workload(sram_cell_values(t.weight_new, synapse_bits=5, compat=compat),
                              sram_cell_values(t.weight_old, synapse_bits=5, compat=compat), **kw)
    fused = write_workload(t.weight_new, t.weight_old, weights=True, synapse_bits=5, **kw)
    assert explicit.written_cells.sum() > 0
    for field in ("rows", "cols", "set_pulses", "reset_pulses", "set_rows", "reset_rows", "set_cols_avg",
                  "reset_cols_avg", "written_cells"):
        np.testing.assert_array_equal(getattr(fused, field), getattr(explicit, field), err_msg=field)
