"""Tests of trace loading/writing and the trace -> array mapping (neurosim_core.traces)."""
import hashlib
from pathlib import Path

import numpy as np
import pytest

from neurosim_core.network import LayerSpec
from neurosim_core.traces import (LayerTrace, TraceError, conductance_lut, input_bit_matrix, load_npz_dir,
                                  load_reference_csv, novel_mapping_rows, num_in_vector, weight_cell_codes,
                                  write_reference_csv)

DATA = Path(__file__).resolve().parents[1] / "data" / "traces_vgg8"

# SHA-256 of the reference wrapper-format CSVs (shared/reference/README.md)
REFERENCE_SHA256 = {
    "weightFC1_.csv": "31e19c08ccfb1a238a554cced38c168c9da9ec4c019ebe47bf0e698b86173144",
    "inputFC1_.csv": "34d11e902e2ed34fc575be5cd0e44008f966581cd01f7d2d3ddd0b94ed0e0344",
    "weightConv0_.csv": "3c29accfc207bf319e984792b287682ac65aa55dce4fe8d13b69ea2c0370c600",
    "inputConv0_.csv": "357c14b5c4ed9e58904f5a700e610acffe3cd9c0d19023a76fa79bd1b7ffff01",
}

# Weight file given to the reference driver (/tmp/pe_tile_drv/loadw.cpp), rows of "%10.5f" values.
WEIGHT_CSV = """\
   0.99219,  -0.99219,   0.00781
  -0.00781,   0.50000,  -0.50000
   0.00000,   0.25000,  -0.25000
   0.74219,   0.12500,  -1.00000
"""
# Conductance matrices printed (%.17g) by the reference V1.4 Chip.cpp LoadInWeightData on WEIGHT_CSV,
# synapseBit=8, cellBit=1/2/3, default Param.cpp (Ron=100k, Roff=1.7M).
GOLDEN_LOADW_CB1 = """\
1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05
5.8823529411764701e-07 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05 5.8823529411764701e-07 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
"""
GOLDEN_LOADW_CB2 = """\
1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 3.7254901960784316e-06 6.8627450980392162e-06 5.8823529411764701e-07 5.8823529411764701e-07 3.7254901960784316e-06
3.7254901960784316e-06 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 3.7254901960784316e-06 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
6.8627450980392162e-06 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 6.8627450980392162e-06 6.8627450980392162e-06 5.8823529411764701e-07 5.8823529411764701e-07 3.7254901960784316e-06 6.8627450980392162e-06 5.8823529411764701e-07 5.8823529411764701e-07
1.0000000000000001e-05 3.7254901960784316e-06 1.0000000000000001e-05 1.0000000000000001e-05 6.8627450980392162e-06 3.7254901960784316e-06 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
"""
GOLDEN_LOADW_CB3 = """\
4.6218487394957983e-06 1.0000000000000001e-05 1.0000000000000001e-05 5.8823529411764701e-07 5.8823529411764701e-07 1.9327731092436974e-06 3.2773109243697479e-06 5.8823529411764701e-07 1.9327731092436974e-06
1.9327731092436974e-06 1.0000000000000001e-05 1.0000000000000001e-05 4.6218487394957983e-06 5.8823529411764701e-07 5.8823529411764701e-07 1.9327731092436974e-06 5.8823529411764701e-07 5.8823529411764701e-07
3.2773109243697479e-06 5.8823529411764701e-07 5.8823529411764701e-07 3.2773109243697479e-06 5.9663865546218487e-06 5.8823529411764701e-07 1.9327731092436974e-06 5.9663865546218487e-06 5.8823529411764701e-07
4.6218487394957983e-06 4.6218487394957983e-06 1.0000000000000001e-05 3.2773109243697479e-06 3.2773109243697479e-06 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07 5.8823529411764701e-07
"""


@pytest.fixture(scope="module")
def traces():
    return load_npz_dir(DATA)


def test_load_npz_dir(traces):
    assert [t.name for t in traces] == ["Conv0", "Conv1", "Conv3", "Conv4", "Conv6", "Conv7", "FC0", "FC1"]
    conv1 = traces[1]
    assert conv1.weight_q.shape == (1152, 128) and conv1.input_q.shape == (1152, 1024)
    assert conv1.wbits == conv1.abits == 8 and conv1.net_row == (32, 32, 128, 3, 3, 128, 1, 1)
    assert traces[6].input_q.shape == (8192, 1)


@pytest.mark.parametrize("index,name", [(7, "FC1"), (0, "Conv0")])
def test_csv_writer_reproduces_reference_files_byte_for_byte(traces, tmp_path, index, name):
    w, x = tmp_path / f"weight{name}_.csv", tmp_path / f"input{name}_.csv"
    write_reference_csv(traces[index], w, x)
    for path in (w, x):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == REFERENCE_SHA256[path.name]
    back = load_reference_csv(w, x, 8, 8)
    assert back.name == f"{name}_"
    np.testing.assert_array_equal(back.weight_q, traces[index].weight_q)
    np.testing.assert_array_equal(back.input_q, traces[index].input_q)


def test_input_bits_layout():
    codes = np.array([[-128, 5], [127, -1]])
    bits = input_bit_matrix(codes, 8)
    assert bits.dtype == np.uint8 and bits.shape == (2, 16)
    assert bits[0].tolist() == [1, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0, 0, 1, 0, 1]
    assert bits[1].tolist() == [0, 1, 1, 1, 1, 1, 1, 1] + [1] * 8
    assert input_bit_matrix(codes, 8, num_windows=1).shape == (2, 8)


@pytest.mark.parametrize("cell_bit,golden", [(1, GOLDEN_LOADW_CB1), (2, GOLDEN_LOADW_CB2), (3, GOLDEN_LOADW_CB3)])
def test_weight_cells_match_reference_load_in_weight_data(tmp_path, cell_bit, golden):
    w, x = tmp_path / "w.csv", tmp_path / "x.csv"
    w.write_text(WEIGHT_CSV)
    x.write_text("0\n0\n0\n0\n")
    trace = load_reference_csv(w, x, wbits=8, abits=1)
    codes = weight_cell_codes(trace.weight_q, 8, 8, cell_bit)
    assert codes.dtype == np.uint8 and codes.shape == (4, 3 * -(-8 // cell_bit))
    g = conductance_lut(cell_bit, 1 / 100e3, 1 / 1.7e6)[codes]
    expected = np.array([[float(v) for v in line.split()] for line in golden.splitlines()])
    np.testing.assert_array_equal(g, expected)


def test_weight_plus_one_wraps_like_the_model():
    # code 2^sb needs one more digit than the cells hold: the model keeps the low digits (all zero)
    assert weight_cell_codes(np.array([[128]]), 8, 8, 1).tolist() == [[0] * 8]
    assert weight_cell_codes(np.array([[-128]]), 8, 8, 1).tolist() == [[0] * 8]
    assert weight_cell_codes(np.array([[0]]), 8, 8, 2).tolist() == [[2, 0, 0, 0]]


def test_reference_quirk_helpers():
    assert num_in_vector(32, 32, 3, 3, 1) == 900
    assert num_in_vector(1, 1, 1, 1, 1) == 1
    assert novel_mapping_rows(2, 3, 2, 10).tolist() == [2, 3, 4, 12, 13, 14]


# (H, W, K_H, K_W, stride) -> numInVector printed by a reference V1.4 driver evaluating Chip.cpp's
# ``int numInVector = (H-KH+1)/s*(W-KW+1)/s`` on its double network table
@pytest.mark.parametrize("h,w,kh,kw,stride,expected", [
    (32, 32, 3, 3, 1, 900), (31, 31, 3, 3, 2, 210), (9, 9, 3, 3, 2, 12), (32, 32, 3, 3, 2, 225),
    (33, 17, 3, 3, 2, 116), (35, 35, 5, 5, 3, 106),
])
def test_num_in_vector_one_formula_matches_reference(h, w, kh, kw, stride, expected):
    assert num_in_vector(h, w, kh, kw, stride) == expected
    assert LayerSpec(h, w, 3, kh, kw, 8, stride=stride).num_in_vectors == expected


@pytest.mark.parametrize("weight_text,input_text,message", [
    ("0.5,0.25\n0.1\n", "0\n1\n", "line 2 has 1 values"),
    ("0.5\nabc\n", "0\n1\n", "'abc' is not a number"),
    ("0.5\n0.1\n", "0\n2\n", "'2' is not 0 or 1"),
    ("0.5\n0.1\n", "0\n", "has 1 rows"),
    ("1.5\n0.1\n", "0\n1\n", "within [-1, 1]"),
    ("0.5\n0.1\n", "0,1,1\n1,1,0\n", "not a multiple of abits"),
    ("", "0\n", "empty weight file"),
])
def test_malformed_csv_gives_one_line_error_naming_the_file(tmp_path, weight_text, input_text, message):
    w, x = tmp_path / "weightL_.csv", tmp_path / "inputL_.csv"
    w.write_text(weight_text)
    x.write_text(input_text)
    with pytest.raises(TraceError) as err:
        load_reference_csv(w, x, 8, 2)
    text = str(err.value)
    assert message in text and "\n" not in text and "L_.csv" in text


def test_missing_files(tmp_path):
    with pytest.raises(TraceError, match="not found"):
        load_reference_csv(tmp_path / "nope.csv", tmp_path / "x.csv", 8, 8)
    with pytest.raises(TraceError, match="no '<index>_<name>.npz'"):
        load_npz_dir(tmp_path)


def test_layer_trace_is_frozen():
    t = LayerTrace("x", np.zeros((2, 3), np.int8), np.zeros((2, 4), np.int8), 8, 8)
    with pytest.raises(AttributeError):
        t.name = "y"
    assert (t.rows, t.c_out, t.n_windows) == (2, 3, 4)
