"""Tests of the batched GetInputVector / GetColumnResistance kernels (neurosim_core.kernels).

Golden values: produced by the reference NeuroSim V1.4 ProcessingUnit.cpp GetInputVector and
GetColumnResistance (compiled reference objects, driver /tmp/pe_tile_drv/colres.cpp), called once
per input vector on the small matrices below, printed with 17 significant digits.  The
conductances given to the driver were ``conductance_lut(cell_bit, gmax, gmin)[codes]``.
Resistance parameters are the 22 nm defaults (Params) at the time of generation.
"""
import math

import numpy as np
import pytest

from neurosim_core.constants import MemCellType
from neurosim_core.kernels import activity_row_read, column_resistance, num_add_parallel
from neurosim_core.traces import conductance_lut

inf = math.inf
_CPP_MEM = {1: MemCellType.SRAM, 2: MemCellType.RRAM, 3: MemCellType.FeFET}

GOLDEN_COLUMN_CASES = [{'access': 1,
  'activity': [0.625, 0.5, 0.0, 0.5, 0.5, 0.375],
  'bits': [[1, 1, 0, 1, 1, 1], [1, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 1], [1, 1, 0, 1, 1, 0], [0, 0, 0, 0, 1, 0],
           [0, 0, 0, 0, 1, 1], [1, 1, 0, 1, 0, 0]],
  'cell_bit': 2,
  'codes': [[3, 2, 2, 3, 2], [3, 3, 0, 0, 1], [1, 3, 3, 0, 1], [3, 0, 3, 0, 1], [3, 1, 1, 1, 2],
            [1, 3, 1, 1, 2], [2, 2, 2, 3, 3]],
  'gmax': 1e-05,
  'gmin': 5.88235294117647e-07,
  'mem': 2,
  'name': 'rram_cmos_parallel_cb2',
  'nrp': 4,
  'nrs': 8,
  'parallel': 1,
  'racc': 25000.0,
  'rca': 0.0,
  'resistance': [[60132.460412009335, 70696.40485228204, 70695.68247384498, 112765.63362430672,
                  83061.05881089933],
                 [79170.90120953762, 98561.09645768283, 72174.62072700387, 116575.9222235045,
                  96753.82267642542],
                 [inf, inf, inf, inf, inf],
                 [79170.90120953762, 98561.09645768283, 72174.62072700387, 116575.9222235045,
                  96753.82267642542],
                 [72983.52795591806, 112087.0042312563, 96755.23820831356, 129929.80135819098,
                  95336.837456424],
                 [135011.74882695088, 91516.39961353395, 115857.66053271007, 166874.00634672257,
                  132264.58550787202]],
  'wrc': 4.689473684950971,
  'wrr': 1.5631578949836566},
 {'access': 4,
  'activity': [0.375, 0.75, 0.25, 0.375, 0.625, 0.625],
  'bits': [[1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 1, 1], [1, 1, 0, 1, 0, 1], [0, 1, 1, 1, 1, 0], [0, 1, 0, 0, 1, 0],
           [0, 1, 0, 0, 0, 1], [0, 1, 0, 0, 1, 1]],
  'cell_bit': 1,
  'codes': [[1, 0, 1, 0, 1], [1, 1, 1, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 1, 1], [0, 0, 1, 0, 0],
            [0, 1, 0, 1, 1], [0, 1, 1, 0, 1]],
  'gmax': 1e-05,
  'gmin': 5.88235294117647e-07,
  'mem': 2,
  'name': 'rram_crossbar_sequential',
  'nrp': 1,
  'nrs': 8,
  'parallel': 0,
  'racc': 25000.0,
  'rca': 0.0,
  'resistance': [[145722.59468124597, 268436.17317385564, 145724.81116781605, 1700007.8157892358,
                  145727.0276526354],
                 [268433.3023262659, 268427.7101068342, 188898.21628262964, 268434.2960923755,
                  145723.7067101266],
                 [100005.08024941491, 1700005.861841298, 188902.86558761873, 188900.09631229882,
                  100008.2065652053],
                 [145721.48833426202, 1700005.7315783894, 268439.9208021841, 268436.1991570339,
                  145725.92130751218],
                 [160385.40797282464, 229738.86136418712, 123195.2907364684, 404782.68462170876,
                  123197.42649361274],
                 [229742.13559543353, 160383.4115720636, 160386.6238317924, 404777.5805332542,
                  123196.953696724]],
  'wrc': 0.7815789474918283,
  'wrr': 0.7815789474918283},
 {'access': 1,
  'activity': [0.015625, 0.046875, 0.0, 0.03125, 0.03125, 0.015625],
  'bits': [[1, 1, 0, 1, 1, 1], [0, 1, 0, 1, 1, 0], [0, 1, 0, 0, 0, 0], [0, 1, 0, 1, 1, 1], [0, 0, 0, 0, 1, 0],
           [0, 1, 0, 1, 0, 0], [1, 1, 0, 0, 0, 0]],
  'cell_bit': 1,
  'codes': [[1, 1, 1, 0, 1], [1, 0, 1, 1, 1], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 1],
            [1, 1, 0, 0, 0], [0, 1, 0, 0, 0]],
  'gmax': 1e-05,
  'gmin': 5.88235294117647e-07,
  'mem': 3,
  'name': 'fefet_parallel',
  'nrp': 128,
  'nrs': 128,
  'parallel': 1,
  'racc': 25000.0,
  'rca': 0.0,
  'resistance': [[94475.13773053448, 50010.941115879046, 94477.93587265005, 850012.505204949,
                  94480.73400618597],
                 [31488.935028613047, 19771.5382881861, 44750.971718841305, 77293.50869152647,
                  44752.23168321511],
                 [inf, inf, inf, inf, inf],
                 [32700.334121014985, 32699.837000341908, 47237.93671277093, 85025.04452922501,
                  47239.33578376291],
                 [47236.54125804804, 47235.15646341902, 47237.940333531005, 47234.4714022417,
                  32702.842557648073],
                 [94475.18117915514, 50014.458963199526, 94477.97932368462, 850016.022353871,
                  94480.77745963453]],
  'wrc': 4.689473684950971,
  'wrr': 1.5631578949836566},
 {'access': 1,
  'activity': [0.0078125, 0.0390625, 0.0, 0.03125, 0.03125, 0.0234375],
  'bits': [[1, 1, 0, 1, 1, 1], [0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 1, 0], [0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1],
           [0, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 1]],
  'cell_bit': 1,
  'codes': [[1, 1, 0, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [0, 0, 0, 0, 0], [0, 1, 0, 1, 0],
            [1, 1, 0, 0, 0], [1, 0, 0, 0, 1]],
  'gmax': 1e-05,
  'gmin': 5.88235294117647e-07,
  'mem': 1,
  'name': 'sram_parallel',
  'nrp': 128,
  'nrs': 128,
  'parallel': 1,
  'racc': 25000.0,
  'rca': 12345.6,
  'resistance': [[12356.542105264885, 12356.542105264885, 12356.542105264885, 12356.542105264885,
                  12356.542105264885],
                 [2471.308421052977, 2471.308421052977, 2471.308421052977, 2471.308421052977,
                  2471.308421052977],
                 [inf, inf, inf, inf, inf],
                 [3089.1355263162213, 3089.1355263162213, 3089.1355263162213, 3089.1355263162213,
                  3089.1355263162213],
                 [3089.1355263162213, 3089.1355263162213, 3089.1355263162213, 3089.1355263162213,
                  3089.1355263162213],
                 [4118.847368421628, 4118.847368421628, 4118.847368421628, 4118.847368421628,
                  4118.847368421628]],
  'wrc': 10.942105264885598,
  'wrr': 3.9078947374591415}]


def _run_case(case):
    bits = np.array(case["bits"], dtype=np.uint8)
    codes = np.array(case["codes"], dtype=np.uint8)
    lut = conductance_lut(case["cell_bit"], case["gmax"], case["gmin"])
    access = case["racc"] if (case["mem"] == 2 and case["access"] == 1) else 0.0
    act = activity_row_read(bits, case["nrs"])
    res = column_resistance(bits, codes, lut, int(_CPP_MEM[case["mem"]]), bool(case["parallel"]),
                            case["rca"], case["wrr"], case["wrc"], access,
                            num_add_parallel(case["nrs"], case["nrp"]))
    return act, res


@pytest.mark.parametrize("case", GOLDEN_COLUMN_CASES, ids=[c["name"] for c in GOLDEN_COLUMN_CASES])
def test_kernels_match_reference_golden(case):
    act, res = _run_case(case)
    np.testing.assert_allclose(act, case["activity"], rtol=0, atol=0)
    np.testing.assert_allclose(res, np.array(case["resistance"]), rtol=1e-14)


def test_sequential_all_zero_vector_is_open_column_not_nan():
    """Reference gives 0/0 (NaN) here; we document and return inf (no current path)."""
    case = GOLDEN_COLUMN_CASES[1]
    bits = np.array(case["bits"], dtype=np.uint8)
    bits[:, 0] = 0
    lut = conductance_lut(case["cell_bit"], case["gmax"], case["gmin"])
    res = column_resistance(bits, np.array(case["codes"], dtype=np.uint8), lut, int(MemCellType.RRAM),
                            False, 0.0, case["wrr"], case["wrc"], 0.0, 1)
    assert np.all(np.isinf(res[0])) and np.all(np.isfinite(res[1:]))


def _plain_column_resistance(bits, codes, lut, mem, parallel, rca, wrr, wrc, racc, num_add):
    """Straight per-vector, per-column evaluation of the documented formulas."""
    rows, nvec = bits.shape
    cols = codes.shape[1]
    out = np.zeros((nvec, cols))
    for k in range(nvec):
        for j in range(cols):
            g_sum, active = 0.0, 0
            for i in range(rows):
                if bits[i, k] != 1:
                    continue
                active += 1
                if mem == MemCellType.SRAM:
                    g_sum += 1.0 / (rca + wrc)
                else:
                    extra = racc if mem == MemCellType.RRAM else 0.0
                    g_sum += 1.0 / (1.0 / lut[codes[i, j]] + (j + 1) * wrr + (rows - i) * wrc + extra)
            if mem == MemCellType.SRAM:
                g = g_sum
            elif parallel:
                g = g_sum / num_add
            else:
                g = g_sum / active if active else 0.0
            out[k, j] = 1.0 / g if g else math.inf
    return out


@pytest.mark.parametrize("mem", list(MemCellType))
@pytest.mark.parametrize("parallel", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_kernels_match_plain_python(mem, parallel, seed):
    rng = np.random.default_rng(seed)
    rows, cols, nvec, cell_bit = int(rng.integers(1, 40)), int(rng.integers(1, 20)), int(rng.integers(1, 30)), 2
    bits = (rng.random((rows, nvec)) < rng.uniform(0.05, 0.9)).astype(np.uint8)
    bits[:, 0] = 0  # an all-zero input vector
    codes = rng.integers(0, 2 ** cell_bit, size=(rows, cols)).astype(np.uint8)
    lut = conductance_lut(cell_bit, 1e-5, 1e-5 / 17)
    args = (bits, codes, lut, int(mem), parallel, 9e3, 1.6, 4.7, 2.5e4, 4)
    np.testing.assert_allclose(column_resistance(*args), _plain_column_resistance(*args), rtol=1e-12)
    np.testing.assert_allclose(activity_row_read(bits, 64), bits.sum(axis=0) / 64, rtol=0)


def test_num_add_uses_integer_division():
    assert num_add_parallel(128, 128) == 1
    assert num_add_parallel(128, 48) == 2  # ceil(128/48) in C int arithmetic is 2, not 3
