"""Chip floorplan (NeuroSim V1.4 Chip.cpp floorplan model).

Golden numbers: the floorplan printed by the reference DNN+NeuroSim V1.4 runs on VGG-8
(tests/data/reference_v14); the exact check on all 13 configurations is in test_golden.py.
"""
from pathlib import Path

import pytest

from neurosim_core.floorplan import FloorplanError, floorplan
from neurosim_core.network import Network
from neurosim_core.params import HardwareConfig, resolve
from ._reference import read_reference_results, reference_hardware_config

DATA = Path(__file__).resolve().parents[1] / "data" / "reference_v14"
REFERENCE = read_reference_results(DATA / "results.csv")
VGG8 = Network.from_rows([
    (32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1), (16, 16, 128, 3, 3, 256, 0, 1),
    (16, 16, 256, 3, 3, 256, 1, 1), (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
    (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)])


def test_default_matches_reference():
    # the exact check on all 13 configurations is tests/core/test_golden.py::test_floorplan_exact
    chip = REFERENCE["default"]["chip"]
    fp = floorplan(VGG8, resolve(reference_hardware_config(chip, "default")))
    assert fp.num_tiles == (2, 8, 4, 8, 8, 8, 64, 1)
    assert fp.speedup == (16, 16, 4, 4, 2, 1, 1, 8)
    assert fp.utilization[0] == 0.2109375 and fp.utilization[7] == 0.625
    assert round(fp.memory_utilization * 100, 10) == 98.1037621359  # default_prec12 run


def test_default_details():
    fp = floorplan(VGG8, resolve(HardwareConfig()))
    # layer 1 (27 rows) and the FC layers use conventional mapping, the rest novel mapping
    assert fp.mark_nm == (False, True, True, True, True, True, False, False)
    # speedUpDegree 8 is capped at 32/8 = 4 (the reference prints a warning)
    assert fp.speedup_degree == 4
    assert fp.pipeline_speedup == (16, 16, 4, 4, 1, 1, 1, 1)
    assert (fp.desired_num_tile_cm, fp.desired_num_tile_nm) == (67, 36)
    assert (fp.num_tile_row, fp.num_tile_col) == (11, 10)
    # tile locations: printed by a driver linking the reference V1.4 Chip.o (-O3) after main.cpp's
    # sequence of four ChipFloorPlan calls (default VGG-8)
    assert fp.tile_location_row == (0, 28, 28, 29, 30, 30, 36, 36)
    assert fp.tile_location_col == (0, 3, 7, 4, 1, 9, 7, 8)


def test_layer_by_layer_keeps_tile_design_counts():
    fp = floorplan(VGG8, resolve(HardwareConfig(pipeline=False)))
    assert fp.pipeline_speedup == ()
    assert fp.total_tiles == 92
    # without pipelining the chip tile counts come from the tile-size search, not the layer sum
    assert (fp.desired_num_tile_cm, fp.desired_num_tile_nm) == (66, 26)


def test_subarray_too_large():
    with pytest.raises(FloorplanError, match="decrease num_row_subarray"):
        # novel-mapped layer with 8 outputs x 8 bits: PE of 64 columns < 2 * 128 subarray rows
        floorplan(Network.from_rows([(8, 8, 64, 3, 3, 8, 0, 1)]), resolve(HardwareConfig()))
    with pytest.raises(FloorplanError, match="decrease num_row_subarray"):
        floorplan(Network.from_rows([(8, 8, 64, 3, 3, 8, 0, 1)]), resolve(HardwareConfig(novel_mapping=False)))


def test_novel_mapping_tile_rows_are_kernel_position_major():
    """Chip.cpp ReshapeArray/ReshapeInput read rows pos + k*C_in + i (the quirk the reference README notes)."""
    import numpy as np

    from neurosim_core.chip import layer_tile_slices

    net = Network.from_rows([(8, 8, 256, 3, 3, 64, 0, 1), (8, 8, 256, 3, 3, 64, 0, 1)])
    p = resolve(HardwareConfig())
    fp = floorplan(net, p)
    assert fp.mark_nm == (True, True) and fp.desired_pe_size_nm == 512 and fp.num_pe_nm == 9
    rows = net[0].weight_rows
    codes = np.arange(rows, dtype=np.int64)[:, None] * np.ones((1, 64 * 8), dtype=np.int64)
    bits = np.arange(rows, dtype=np.int64)[:, None] * np.ones((1, 36 * 8), dtype=np.int64)
    (tile,) = layer_tile_slices(net[0], True, fp, p, codes, bits)
    expected = np.concatenate([k * 256 + np.arange(256) for k in range(9)])
    assert np.array_equal(tile.weights[:, 0], expected) and np.array_equal(tile.inputs[:, 0], expected)
    assert (tile.num_row_matrix, tile.num_col_matrix) == (2304, 512)


def test_conventional_mapping_tiles_cover_the_matrix():
    import numpy as np

    from neurosim_core.chip import layer_tile_slices

    p = resolve(HardwareConfig(novel_mapping=False))
    fp = floorplan(VGG8, p)
    layer = VGG8[6]  # FC 8192 x 1024 on 1024 x 1024 tiles
    codes = np.zeros((layer.weight_rows, layer.c_out * 8), dtype=np.uint8)
    bits = np.zeros((layer.weight_rows, 8), dtype=np.uint8)
    tiles = layer_tile_slices(layer, False, fp, p, codes, bits)
    assert len(tiles) == 8 * 8
    assert all(t.weights.shape == (1024, 1024) and t.inputs.shape == (1024, 8) for t in tiles)
