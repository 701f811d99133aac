"""Parquet schemas (round trip, corrupted files) and the report plots (opened and inspected).

The new report content (accuracies, shares, per-layer figures, design line) is tested in
`test_report_content.py`."""
import numpy as np
import pyarrow as pa
import pytest

from pipeline.flow import schemas
from pipeline.flow.config import compose
from pipeline.report import markdown_table, write_report


def _layer(name, rows, cols, windows, rng):
    return {"name": name, "net_row": (4, 4, rows // 9, 3, 3, cols, 0, 1), "wbits": 8, "abits": 8,
            "weight_q": rng.integers(-127, 128, size=(rows, cols)),
            "input_q": rng.integers(0, 128, size=(rows, windows))}


def test_traces_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    layers = [_layer("Conv0", 27, 8, 16, rng), _layer("FC0", 18, 4, 1, rng)]
    path = tmp_path / "traces.parquet"
    schemas.write_table(schemas.traces_to_table(layers), path)
    back = schemas.read_traces(path)
    assert [b["name"] for b in back] == ["Conv0", "FC0"]
    for a, b in zip(layers, back):
        np.testing.assert_array_equal(a["weight_q"], b["weight_q"])
        np.testing.assert_array_equal(a["input_q"], b["input_q"])
        assert a["net_row"] == b["net_row"]
    assert not list(tmp_path.glob(".*tmp"))  # atomic write left no temporary behind


def test_corrupted_parquet_is_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "traces.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(schemas.SchemaError) as err:
        schemas.read_traces(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "chip.parquet"
    schemas.write_table(pa.Table.from_pylist([{"chip_area_um2": 1.0}]), path)
    with pytest.raises(schemas.SchemaError, match="missing column 'area_cim_array_um2'"):
        schemas.read_table(path, schemas.CHIP_COLUMNS)


def test_inconsistent_trace_shape_is_rejected(tmp_path):
    rng = np.random.default_rng(1)
    table = schemas.traces_to_table([_layer("Conv0", 27, 8, 16, rng)])
    table = table.set_column(table.schema.get_field_index("weight_cols"), "weight_cols",
                             pa.array([9], pa.int32()))
    path = tmp_path / "traces.parquet"
    schemas.write_table(table, path)
    with pytest.raises(schemas.SchemaError, match="column 'weight_q' has 216 values"):
        schemas.read_traces(path)


def _png_stats(path):
    import matplotlib.image as mpimg

    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 300
    rgb = (img[..., :3] * 255).astype(int)
    colours = {tuple(c) for c in rgb.reshape(-1, 3)[::7]}
    non_white = float(np.mean(rgb.sum(axis=2) < 700))
    return len(colours), non_white


def _fake_tables(tmp_path):
    est, inf, fp = tmp_path / "est", tmp_path / "inf", tmp_path / "fp"
    layers = []
    for i in range(3):
        row = {c: float(10 * (i + 1)) for c in schemas.LAYER_COLUMNS}
        row.update(layer=i + 1, name=f"L{i}", adc_read_latency_ns=5.0 * (i + 1), accum_read_latency_ns=2.0,
                   other_read_latency_ns=1.0, adc_read_dynamic_energy_pJ=100.0, accum_read_dynamic_energy_pJ=50.0,
                   other_read_dynamic_energy_pJ=25.0 * (i + 1))
        layers.append(row)
    chip = {c: 1.0 for c in schemas.CHIP_COLUMNS}
    chip.update(chip_area_um2=5e6, area_cim_array_um2=2e6, area_adc_um2=1e6, area_accum_um2=0.5e6,
                area_ic_um2=1e6, area_other_um2=0.5e6)
    schemas.write_table(pa.Table.from_pylist(layers), est / "layers.parquet")
    schemas.write_table(pa.Table.from_pylist([chip]), est / "chip.parquet")
    schemas.write_table(pa.Table.from_pylist([{"accuracy": 0.9, "loss": 0.3}]), inf / "accuracy.parquet")
    schemas.write_table(pa.Table.from_pylist([{c: 1 for c in schemas.FLOORPLAN_COLUMNS}]), fp / "floorplan.parquet")
    return est, inf, fp


def test_report_renders_tables_and_a_real_plot(tmp_path):
    est, inf, fp = _fake_tables(tmp_path)
    out = tmp_path / "report"
    write_report(compose(), out, est, inf, fp)
    md = (out / "report.md").read_text()
    assert "90.00 %" in md and "5 mm^2" in md
    assert "| 3 | conv" in md or "| 3 | L2 |" in md  # the third layer has its row
    html = (out / "report.html").read_text()
    assert "<table" in html and 'src="breakdown.png"' in html
    n_colours, ink = _png_stats(out / "breakdown.png")
    assert n_colours > 20 and 0.03 < ink < 0.6  # bars were drawn: several colours, some ink, not a blank page


def test_markdown_table_from_the_template():
    md = markdown_table([{"a": 1, "b": 2.0 / 3}, {"a": "x|y", "b": None}], ("a", "b"))
    lines = md.strip().splitlines()
    assert lines[0] == "| a | b |" and lines[1] == "|---:|---:|"
    assert lines[2] == "| 1 | 0.6667 |" and lines[3] == "| x\\|y | n/a |"
