"""`neurosim_core.batch`: many design points over one set of traces, sharing decoding and tile
carving, give exactly the figures of one `estimate` per point."""
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from neurosim_core.batch import SharedWork, estimate_many, iter_estimates
from neurosim_core.estimate import estimate
from neurosim_core.network import Network
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.traces import input_bit_matrix, load_npz_dir, shared_decoding, weight_cell_codes

DATA = Path(__file__).resolve().parents[1] / "data" / "traces_vgg8"

# interleaved so that points sharing a carving (rows, cell bits) are not neighbours, across devices,
# read modes, activity modes and compat modes
POINTS = [
    {},
    dict(mem_cell="rram", cell_bit=2),
    dict(num_row_subarray=64, num_col_subarray=64, level_output=8),
    dict(mem_cell="rram", cell_bit=2, level_output=16, tech_node_nm=32),
    dict(tech_node_nm=14, level_output=64),
    dict(mem_cell="rram", operation_mode="conventional_sequential"),
    dict(num_row_subarray=64, num_col_subarray=64, tech_node_nm=7),
    dict(activity_mode="pseudo"),
    dict(mem_cell="rram", activity_mode="pseudo", cell_bit=2),
    dict(compat="corrected", level_output=16),
    dict(novel_mapping=False),
    dict(mem_cell="fefet", cell_bit=2),
    {},
]


@pytest.fixture(scope="module")
def small_net():
    traces = load_npz_dir(DATA)
    traces = [traces[0], traces[1], traces[7]]  # conv (conventional), conv (novel mapping), FC
    return Network.from_rows([t.net_row for t in traces], names=[t.name for t in traces]), traces


def _params():
    return [resolve(HardwareConfig.from_mapping(kw, source="test")) for kw in POINTS]


def _same(a, b) -> bool:
    """Equal to the bit, NaN included (the dataclasses' == treats NaN as unequal)."""
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, float):
            if not (np.float64(x).tobytes() == np.float64(y).tobytes()):
                return False
        elif isinstance(x, tuple) and x and hasattr(x[0], "__dataclass_fields__"):
            if len(x) != len(y) or not all(_same(u, v) for u, v in zip(x, y)):
                return False
        elif x != y:
            return False
    return True


def test_estimate_many_equals_one_estimate_per_point(small_net):
    network, traces = small_net
    params = _params()
    single = [estimate(network, traces, p) for p in params]
    many = estimate_many(network, traces, params)
    assert len(many) == len(params)
    for kw, a, b in zip(POINTS, single, many):
        assert _same(a, b), kw
    # the points differ (the comparison is not between identical answers)
    assert len({r.tops_per_w for r in single}) >= len(POINTS) - 2


def test_carving_is_shared_between_points(small_net):
    network, traces = small_net
    work = SharedWork()
    params = _params()
    list(iter_estimates(network, traces, params, shared=work))
    carvings = {(p.num_row_subarray, p.cell_bit, p.novel_mapping, p.compat) for p in params}
    # one entry per layer and carving, not per point
    assert len(work._slices) <= len(carvings) * len(traces) < len(params) * len(traces)


def test_shared_decoding_remembers_per_array_and_is_read_only(small_net):
    _, traces = small_net
    t = traces[1]
    with shared_decoding():
        a = weight_cell_codes(t.weight_q, t.wbits, 8, 1)
        assert weight_cell_codes(t.weight_q, t.wbits, 8, 1) is a
        assert weight_cell_codes(t.weight_q, t.wbits, 8, 2) is not a
        copy = t.weight_q.copy()  # equal content, another array: decoded on its own
        assert weight_cell_codes(copy, t.wbits, 8, 1) is not a
        bits = input_bit_matrix(t.input_q, 8, 100)
        assert input_bit_matrix(t.input_q, 8, 100) is bits and input_bit_matrix(t.input_q, 8, 99) is not bits
        assert not a.flags.writeable and not bits.flags.writeable
    # outside the block nothing is remembered
    assert weight_cell_codes(t.weight_q, t.wbits, 8, 1) is not weight_cell_codes(t.weight_q, t.wbits, 8, 1)
    assert np.array_equal(weight_cell_codes(t.weight_q, t.wbits, 8, 1), a)


def test_shared_decoding_is_bounded(small_net):
    _, traces = small_net
    t = traces[1]
    one = weight_cell_codes(t.weight_q, t.wbits, 8, 1).nbytes
    with shared_decoding(max_bytes=one):
        a = weight_cell_codes(t.weight_q, t.wbits, 8, 1)
        weight_cell_codes(t.weight_q, t.wbits, 8, 4)  # evicts the first
        assert weight_cell_codes(t.weight_q, t.wbits, 8, 1) is not a
