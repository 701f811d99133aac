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


# --- fused eNVM column energy (envm_column_energy_sums) against the column-by-column formulation ---
from types import SimpleNamespace  # noqa: E402

from neurosim_core.circuits.adc import _SAR_POWER_LSTP, _fit_arrays, conversion_energy  # noqa: E402
from neurosim_core.circuits.mlsa import _MLSA_POWER_LSTP  # noqa: E402
from neurosim_core.constants import CellAccessType  # noqa: E402
from neurosim_core.kernels import envm_column_energy_sums  # noqa: E402


def _column_by_column_energy(bits, codes, p, cell, args):
    """The oracle: every vector's column resistances from `column_resistance` (checked above against
    the reference's values), then `conversion_energy` of each column, summed column by column."""
    lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
    cmos = cell.mem_cell_type == MemCellType.RRAM and cell.access_type == CellAccessType.CMOS_access
    res = column_resistance(bits, codes, lut, int(cell.mem_cell_type), p.parallel_read, 0.0,
                            p.wire_resistance_row, p.wire_resistance_col,
                            cell.resistance_access if cmos else 0.0,
                            num_add_parallel(p.num_row_subarray, p.num_row_parallel))
    out = np.zeros(res.shape[0])
    for k in range(res.shape[0]):
        for r in res[k]:
            out[k] += conversion_energy(r, *args)
    return out


def _adc_args(kind, *, x_scale=0.5 / 0.55, add=2.4e-5, mult=31.0, clip=True):
    """`conversion_energy` arguments shaped as the ADCs build them (circuits.adc EnergyKernelArgs)."""
    if kind == "mlsa":  # lin below 4832 ohm, two log segments around 379269 ohm
        return (x_scale, *_fit_arrays(*_MLSA_POWER_LSTP[22]), mult, 1.0, 1e-6, add, 9.5e-10, clip)
    if kind == "sar":  # power law
        a, b, c, e = _SAR_POWER_LSTP[22]
        return (x_scale, *_fit_arrays((), (("pow", c, e, (a * 5 + b) * 1e-6),)), 1.0, 1.0, 1e-6, 0.0, 6e-9, False)
    if kind == "voltage":  # voltage-mode sense amplifier: no column term
        return (x_scale, *_fit_arrays((), (("zero", 0.0, 0.0),)), mult, 1.0, 1e-6, add, 1e-9, True)
    raise ValueError(kind)


def _envm_case(rng, *, rows, cols, nvec, cell_bit, mem=MemCellType.RRAM, parallel=True, num_row_parallel=None,
               density=0.3, gmax=1e-5, access=CellAccessType.CMOS_access):
    bits = (rng.random((rows, nvec)) < density).astype(np.uint8)
    codes = rng.integers(0, 2 ** cell_bit, size=(rows, cols)).astype(np.uint8)
    p = SimpleNamespace(cell_bit=cell_bit, max_conductance=gmax, min_conductance=gmax / 17,
                        wire_resistance_row=1.5631578949836566, wire_resistance_col=4.689473684950971,
                        parallel_read=parallel, num_row_subarray=rows,
                        num_row_parallel=rows if num_row_parallel is None else num_row_parallel)
    cell = SimpleNamespace(mem_cell_type=mem, access_type=access, resistance_access=25000.0)
    return bits, codes, p, cell


def _assert_energy_matches(bits, codes, p, cell, args):
    fused = envm_column_energy_sums(bits, codes, p, cell, args)
    oracle = _column_by_column_energy(bits, codes, p, cell, args)
    assert fused.shape == (bits.shape[1],)
    np.testing.assert_allclose(fused, oracle, rtol=1e-12, atol=0)
    return fused, oracle


@pytest.mark.parametrize("cell_bit", [1, 2, 4, 8])
@pytest.mark.parametrize("mem", [MemCellType.RRAM, MemCellType.FeFET])
@pytest.mark.parametrize("parallel", [True, False])
def test_envm_energy_matches_column_by_column(cell_bit, mem, parallel):
    rng = np.random.default_rng(cell_bit * 10 + int(mem) + 100 * parallel)
    bits, codes, p, cell = _envm_case(rng, rows=128, cols=128, nvec=300, cell_bit=cell_bit, mem=mem,
                                      parallel=parallel)
    bits[:, 0] = 0  # no active row: every column open
    bits[:, 1] = 1  # every row active
    bits[:, 2] = 0
    bits[5, 2] = 1  # a single active row
    bits[:, 3:40] = (rng.random((128, 37)) < 0.9).astype(np.uint8)  # dense vectors: low column resistance
    fused, _ = _assert_energy_matches(bits, codes, p, cell, _adc_args("mlsa"))
    open_total = 128 * conversion_energy(np.inf, *_adc_args("mlsa"))
    assert fused[0] == pytest.approx(open_total, rel=1e-15)


def test_envm_energy_spans_every_fit_segment():
    """Column resistances on the linear, both logarithmic segments and across their breaks, in one
    vector and across vectors (the common single-segment, the two-segment and the per-column paths)."""
    rng = np.random.default_rng(7)
    bits, codes, p, cell = _envm_case(rng, rows=64, cols=96, nvec=400, cell_bit=2, access=CellAccessType.none_access)
    bits[:, :100] = (rng.random((64, 100)) < rng.uniform(0.01, 1.0, 100)).astype(np.uint8)
    bits[:, 100:130] = 0
    bits[rng.integers(0, 64, 30), np.arange(100, 130)] = 1  # one active row: the widest column spread
    p.min_conductance = p.max_conductance / 1000  # (on/off ratio 1000: a vector can span all segments)
    lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
    res = column_resistance(bits, codes, lut, int(cell.mem_cell_type), True, 0.0, p.wire_resistance_row,
                            p.wire_resistance_col, 0.0, 1)
    open_vector = np.isinf(res).all(axis=1)
    segments_hit, straddling, wide = set(), 0, 0
    on_break = 379269.0 / res[~open_vector][3, 5]  # puts one column right on a break (within rounding)
    for x_scale in (0.5 / 0.55, 0.04, 2.0, 40.0, on_break):  # moves the resistances over the breaks
        args = _adc_args("mlsa", x_scale=x_scale)
        segment = np.searchsorted(args[1], res[~open_vector] * x_scale, side="right")
        segments_hit |= set(np.unique(segment).tolist())
        straddling += int(np.sum(segment.max(axis=1) - segment.min(axis=1) == 1))
        wide += int(np.sum(segment.max(axis=1) - segment.min(axis=1) == 2))  # column-by-column path
        _assert_energy_matches(bits, codes, p, cell, args)
    assert segments_hit == {0, 1, 2} and straddling > 0 and wide > 0


def test_envm_energy_partial_parallel_read_and_small_shapes():
    rng = np.random.default_rng(3)
    for rows, cols, nvec, nrp in ((128, 128, 50, 16), (27, 128, 200, 27), (7, 5, 30, 2), (1, 1, 5, 1),
                                  (130, 33, 20, 64)):
        bits, codes, p, cell = _envm_case(rng, rows=rows, cols=cols, nvec=nvec, cell_bit=1, num_row_parallel=nrp)
        _assert_energy_matches(bits, codes, p, cell, _adc_args("mlsa"))


@pytest.mark.parametrize("kind", ["sar", "voltage"])
def test_envm_energy_other_adcs(kind):
    rng = np.random.default_rng(11)
    bits, codes, p, cell = _envm_case(rng, rows=64, cols=40, nvec=120, cell_bit=2, mem=MemCellType.FeFET)
    _assert_energy_matches(bits, codes, p, cell, _adc_args(kind))


@pytest.mark.parametrize("add", [-2.0e-5, -2.6e-5, -6.3e-5, -1.0])  # clip point on a log, the lin, no segment
def test_envm_energy_clip_point_inside_the_data(add):
    """A negative constant term puts the fit's clip point (energy < 0 -> 0) among the columns: columns
    on the clipped side add exactly 0, those near it are evaluated one by one."""
    rng = np.random.default_rng(5)
    bits, codes, p, cell = _envm_case(rng, rows=64, cols=64, nvec=300, cell_bit=1)
    bits[:, :150] = (rng.random((64, 150)) < rng.uniform(0.02, 1.0, 150)).astype(np.uint8)
    fused, oracle = _assert_energy_matches(bits, codes, p, cell, _adc_args("mlsa", add=add))
    assert np.any(oracle >= 0)
    _assert_energy_matches(bits, codes, p, cell, _adc_args("mlsa", add=add, clip=False))


def test_envm_energy_degenerate_arguments():
    """Zero sensing time or resistance scale: the column-by-column path."""
    rng = np.random.default_rng(9)
    bits, codes, p, cell = _envm_case(rng, rows=32, cols=16, nvec=40, cell_bit=2)
    args = list(_adc_args("mlsa"))
    for i, value in ((10, 0.0), (0, 0.0)):
        changed = list(args)
        changed[i] = value
        _assert_energy_matches(bits, codes, p, cell, tuple(changed))


@pytest.mark.parametrize("cell_bit", [1, 2, 3, 4, 5])
def test_cell_conductance_table_gathers_the_same_values(cell_bit):
    """The cached per-level table (cell_bit <= 4) gives every cell exactly `_envm_cell_conductance`."""
    from neurosim_core.kernels import _cell_conductance, _envm_cell_conductance
    rng = np.random.default_rng(cell_bit)
    _, codes, p, _ = _envm_case(rng, rows=40, cols=24, nvec=1, cell_bit=cell_bit)
    lut = conductance_lut(p.cell_bit, p.max_conductance, p.min_conductance)
    for access in (25000.0, 0.0):
        direct = _envm_cell_conductance(codes, lut, p.wire_resistance_row, p.wire_resistance_col, access)
        assert np.array_equal(_cell_conductance(codes, p, access), direct)
        assert np.array_equal(_cell_conductance(codes, p, access), direct)  # from the cache
