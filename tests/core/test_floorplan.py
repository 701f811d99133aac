"""Chip floorplan (NeuroSim V1.4 Chip.cpp floorplan model) against the reference runs.

Golden numbers: the floorplan columns of tests/data/reference_v14/results.csv (13 reference
DNN+NeuroSim V1.4 runs on VGG-8), which must match exactly.
"""
from pathlib import Path

import pytest

from neurosim_core.floorplan import FloorplanError, floorplan
from neurosim_core.network import Network
from neurosim_core.params import HardwareConfig, resolve
from neurosim_core.results import read_reference_results, reference_hardware_config

DATA = Path(__file__).resolve().parents[1] / "data" / "reference_v14"
REFERENCE = read_reference_results(DATA / "results.csv")
VGG8 = Network.from_rows([
    (32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1), (16, 16, 128, 3, 3, 256, 0, 1),
    (16, 16, 256, 3, 3, 256, 1, 1), (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
    (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)])


@pytest.mark.parametrize("config", sorted(REFERENCE))
def test_floorplan_matches_reference(config):
    rows = REFERENCE[config]
    chip = rows["chip"]
    fp = floorplan(VGG8, resolve(reference_hardware_config(chip, config)))
    for i in range(len(VGG8)):
        ref = rows[str(i + 1)]
        assert fp.num_tiles[i] == int(ref["numTiles"]), (config, i + 1)
        assert fp.speedup[i] == int(ref["speedUp"]), (config, i + 1)
        digits = len(ref["utilization"].replace(".", "").lstrip("0"))
        assert float(f"{fp.utilization[i]:.{max(digits, 6)}g}") == pytest.approx(float(ref["utilization"]), rel=1e-9)
    assert fp.total_tiles == int(chip["numTiles"])
    assert fp.desired_tile_size_cm == int(chip["CM_tileSize"])
    assert fp.desired_pe_size_cm == int(chip["CM_PESize"])
    if chip["NM_numPE"]:
        assert fp.num_pe_nm == int(chip["NM_numPE"])
        assert fp.desired_pe_size_nm == int(chip["NM_PESize"])
    else:
        assert not any(fp.mark_nm)
    printed = chip["memUtilization_pct"]
    digits = len(printed.replace(".", "").lstrip("0"))
    assert float(f"{fp.memory_utilization * 100:.{digits}g}") == float(printed)


def test_default_details():
    fp = floorplan(VGG8, resolve(HardwareConfig()))
    # layer 1 (27 rows) and the FC layers use conventional mapping, the rest novel mapping
    assert fp.mark_nm == (False, True, True, True, True, True, False, False)
    # speedUpDegree 8 is capped at 32/8 = 4 (the reference prints a warning)
    assert fp.speedup_degree == 4
    assert fp.pipeline_speedup == (16, 16, 4, 4, 1, 1, 1, 1)
    assert (fp.desired_num_tile_cm, fp.desired_num_tile_nm) == (67, 36)
    assert (fp.num_tile_row, fp.num_tile_col) == (11, 10)
    # start tile of each layer counts the tiles of layers 2..i
    assert fp.tile_location_row[:3] == (0, 0, 1)
    assert fp.tile_location_col[:3] == (0, 8, 1)


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
