"""Fidelity against the reference DNN+NeuroSim V1.4 runs.

Reference tables: ``tests/data/reference_v14/results.csv`` (the project's 13 configurations) and
``tests/data/reference_v14_extra/results.csv`` (further configurations varying the same parameters,
run with the same V1.4 binary and traces; see that folder's README).

Acceptance criteria: the floorplan matches exactly on every configuration; with the full VGG-8
traces, every chip-level and per-layer figure equals the reference to the precision it printed
(``%g``, 6 significant digits: within half a unit of the last printed digit).  The full-trace
tests are marked ``golden``.  Known gaps are strict xfails naming metric and error.
"""
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from neurosim_core.floorplan import floorplan
from neurosim_core.network import Network
from neurosim_core.params import resolve
from ._reference import (CHIP_METRICS, LAYER_METRICS, read_reference_results, reference_hardware_config,
                         relative_error)

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = ("reference_v14", "reference_v14_extra")
REFERENCE = {}  # config name -> rows; names are unique across the tables
for _table in TABLES:
    _path = DATA / _table / "results.csv"
    if _path.is_file():
        for _name, _rows in read_reference_results(_path).items():
            assert _name not in REFERENCE, f"config {_name} is in two reference tables"
            REFERENCE[_name] = _rows
CONFIGS = sorted(REFERENCE)
VGG8 = Network.from_rows([
    (32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1), (16, 16, 128, 3, 3, 256, 0, 1),
    (16, 16, 256, 3, 3, 256, 1, 1), (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
    (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)])

# Known gaps: config -> reason (exact metric and error); strict, so a fix is noticed.
CHIP_XFAIL: dict[str, str] = {
    "rram_cellbit3": "ADC_readDynamicEnergy_pJ 5.56 % low, readDynamicEnergy_pJ 2.61 %, TOPS_per_W 2.66 % "
                     "(reference out-of-bounds read in layers 3-4, see LAYER_XFAIL)",
}
LAYER_XFAIL: dict[str, str] = {
    "rram_cellbit3": "L3/L4 ADC_readDynamicEnergy_pJ 14.15/14.86 % low, readDynamicEnergy_pJ 6.15/7.46 % "
                     "(reference bug: Chip.cpp ReshapeArray copies 768/2 = 384 columns per novel-mapped tile but "
                     "steps tiles by the 512-column PE, and the tile then reads 512 columns of its 384-wide rows: "
                     "undefined out-of-bounds reads, not reproduced)",
}


def _cases(xfails):
    return [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=xfails[c])) if c in xfails else c
            for c in CONFIGS]


_LAYER_CASES = _cases(LAYER_XFAIL)


def _same_printed(ours: float, printed: str) -> bool:
    """ours, printed with as many significant digits as the reference printed, equals the reference."""
    digits = max(len(printed.split("e")[0].replace(".", "").replace("-", "").lstrip("0")), 1)
    return float(f"{ours:.{digits}g}") == float(printed)


@pytest.mark.parametrize("config", CONFIGS)
def test_floorplan_exact(config):
    rows = REFERENCE[config]
    chip = rows["chip"]
    fp = floorplan(VGG8, resolve(reference_hardware_config(chip, config)))
    for i in range(len(VGG8)):
        ref = rows[str(i + 1)]
        assert fp.num_tiles[i] == int(ref["numTiles"]), (config, i + 1, "numTiles")
        assert fp.speedup[i] == int(ref["speedUp"]), (config, i + 1, "speedUp")
        assert _same_printed(fp.utilization[i], ref["utilization"]), (config, i + 1, "utilization")
    assert fp.total_tiles == int(chip["numTiles"])
    assert fp.desired_tile_size_cm == int(chip["CM_tileSize"])
    assert fp.desired_pe_size_cm == int(chip["CM_PESize"])
    if chip["NM_numPE"]:
        assert fp.num_pe_nm == int(chip["NM_numPE"])
        assert fp.desired_pe_size_nm == int(chip["NM_PESize"])
    else:
        assert not any(fp.mark_nm)
    assert _same_printed(fp.memory_utilization * 100, chip["memUtilization_pct"])


@lru_cache(maxsize=None)
def _traces():
    from neurosim_core.traces import load_npz_dir
    return tuple(load_npz_dir(DATA / "traces_vgg8"))


@lru_cache(maxsize=None)
def _estimate(config):
    from neurosim_core.estimate import estimate
    cfg = reference_hardware_config(REFERENCE[config]["chip"], config)
    result = estimate(VGG8, _traces(), resolve(cfg, source=config))
    return {row["layer"]: row for row in result.to_rows()}


def _within_printed(ours: float, printed: str) -> bool:
    """ours rounds to the printed value: |ours - ref| <= half a unit of its last significant digit.

    The reference prints with ``%g`` (6 significant digits, trailing zeros dropped: "1.5e+09" is
    1.50000e+09), some columns with more digits; the precision is the larger of the two.
    """
    ref = Decimal(printed.strip())
    if ref == 0:
        return ours == 0
    shown = len(ref.normalize().as_tuple().digits)
    digits = max(6, shown)
    half_ulp = 0.5 * 10.0 ** (ref.adjusted() - digits + 1)
    return abs(ours - float(ref)) <= half_ulp * (1 + 1e-9)


def _errors(config, layer, columns):
    ours = _estimate(config)[layer]
    ref = REFERENCE[config][layer]
    bad = []
    for column in columns:
        if not _within_printed(float(ours[column]), ref[column]):
            err = relative_error(float(ours[column]), float(ref[column]))
            bad.append(f"{column}: ours {float(ours[column]):.6g} vs {ref[column]} ({err * 100:.2f} %)")
    return bad


@pytest.mark.golden
@pytest.mark.parametrize("config", _cases(CHIP_XFAIL))
def test_chip_to_printed_precision(config):
    columns = [c for c, _, _ in CHIP_METRICS + LAYER_METRICS]
    bad = _errors(config, "chip", columns)
    assert not bad, f"{config} chip: " + "; ".join(bad)


@pytest.mark.golden
@pytest.mark.parametrize("config", _LAYER_CASES)
def test_layers_to_printed_precision(config):
    columns = [c for c, _, _ in LAYER_METRICS]
    bad = []
    for i in range(len(VGG8)):
        bad += [f"L{i + 1} {b}" for b in _errors(config, str(i + 1), columns)]
    assert not bad, f"{config}: " + "; ".join(bad)


@pytest.mark.golden
@pytest.mark.parametrize("config", CONFIGS)
def test_corrected_model_runs(config):
    """compat=corrected (no reference defect reproduced) runs on every reference configuration."""
    from neurosim_core.estimate import estimate
    cfg = reference_hardware_config(REFERENCE[config]["chip"], config).replace(compat="corrected")
    result = estimate(VGG8, _traces(), resolve(cfg, source=config))
    rows = {row["layer"]: row for row in result.to_rows()}
    columns = [c for c, _, _ in CHIP_METRICS + LAYER_METRICS]
    assert all(math.isfinite(float(rows["chip"][c])) and float(rows["chip"][c]) >= 0 for c in columns), config
    # the same-padded window count alone changes the latency of every configuration
    assert rows["chip"]["readLatency_ns"] > _estimate(config)["chip"]["readLatency_ns"]


def test_printed_precision_check_can_fail():
    assert _within_printed(1.234565e-3, "0.00123456") and _within_printed(123456.4, "123456")
    assert not _within_printed(1.23458e-3, "0.00123456") and not _within_printed(123457.0, "123456")
    assert _within_printed(0.0, "0") and not _within_printed(1e-30, "0")
    assert _within_printed(1.5000049e9, "1.5e+09") and not _within_printed(1.500006e9, "1.5e+09")
    assert _within_printed(519.9843754, "519.984375") and not _within_printed(519.98438, "519.984375")


def _parser():
    import importlib.util
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "parse_reference_log.py"
    spec = importlib.util.spec_from_file_location("parse_reference_log", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", TABLES)
def test_log_parser_reproduces_reference_table(table):
    """benchmarks/parse_reference_log.py turns each run's log back into its results.csv rows."""
    parser = _parser()
    folder = DATA / table
    if not (folder / "results.csv").is_file():
        pytest.skip(f"no {table} table")
    expected = read_reference_results(folder / "results.csv")
    logs = sorted(folder.glob("*.log"))
    assert {log.stem for log in logs} == set(expected)
    figures = [c for c in parser.COLUMNS if c not in ("config", "param_edits") and c not in parser.COLUMNS[2:17]]
    for log in logs:
        layers, chip = parser.parse_log(log.read_text())
        for row in layers + [chip]:
            ref = expected[log.stem][row["layer"]]
            for column, value in row.items():
                if column in figures:
                    assert value == ref[column], (log.stem, row["layer"], column)
        if log.with_name(log.stem + ".time.txt").is_file():  # the config columns need the sidecar
            for row in parser.rows_for_log(log, log.stem):
                assert row == {c: expected[log.stem][row["layer"]][c] for c in parser.COLUMNS}, log.stem
