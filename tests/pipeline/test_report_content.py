"""The design-point report's content: digital accuracy and drop, training curve, shares with buffer
and interconnect split out of "other", per-layer shapes/MACs/area/TOPS/W, readable names, units on
the floorplan columns, the full design line; Markdown and HTML from the same templates.

The tables are small hand-made ones whose figures the expected values below follow from.
"""
import json
import re
from html.parser import HTMLParser

import numpy as np
import pyarrow as pa
import pytest

from pipeline.flow import schemas
from pipeline.flow.config import compose
from pipeline.report import (Column, Document, Figure, KeyValues, Section, Table, content, render_document,
                             write_document, write_report)

# NetWork.csv rows (ifm_h, ifm_w, ifm_c, k_h, k_w, c_out, pool, stride) of a tiny VGG-like net
NET = [("Conv0_", (8, 8, 1, 3, 3, 4, 0, 1)), ("Conv1_", (8, 8, 4, 3, 3, 8, 1, 1)),
       ("FC0_", (1, 1, 128, 1, 1, 10, 0, 1))]


def _traces(path):
    rng = np.random.default_rng(0)
    rows = []
    for name, net in NET:
        wr = net[2] * net[3] * net[4]
        rows.append({"name": name, "net_row": net, "wbits": 8, "abits": 8,
                     "weight_q": rng.integers(-127, 128, size=(wr, net[5])),
                     "input_q": rng.integers(0, 128, size=(wr, 2))})
    schemas.write_table(schemas.traces_to_table(rows), path / "traces.parquet")


def _layer(i, name):
    row = {c: 0.0 for c in schemas.LAYER_COLUMNS}
    row.update(layer=i + 1, name=name, num_tiles=i + 1, speedup=1, utilization=0.5,
               read_latency_ns=100.0 * (i + 1), read_dynamic_energy_pJ=1000.0 * (i + 1),
               leakage_power_uW=1.0, leakage_energy_pJ=100.0,
               adc_read_latency_ns=40.0, accum_read_latency_ns=20.0, other_read_latency_ns=40.0,
               buffer_latency_ns=10.0, ic_latency_ns=5.0,
               adc_read_dynamic_energy_pJ=500.0 * (i + 1), accum_read_dynamic_energy_pJ=200.0 * (i + 1),
               other_read_dynamic_energy_pJ=300.0 * (i + 1), buffer_read_dynamic_energy_pJ=100.0 * (i + 1),
               ic_read_dynamic_energy_pJ=50.0 * (i + 1), tile_area_um2=2.5e4 * (i + 1))
    return row


def _stage_dirs(tmp_path):
    est, inf, fp, train, traces = (tmp_path / d for d in ("est", "inf", "fp", "train", "traces"))
    layers = [_layer(i, name) for i, (name, _) in enumerate(NET)]
    chip = {c: 0.0 for c in schemas.CHIP_COLUMNS}
    for key in ("read_dynamic_energy_pJ", "leakage_energy_pJ", "adc_read_dynamic_energy_pJ",
                "accum_read_dynamic_energy_pJ", "other_read_dynamic_energy_pJ", "buffer_read_dynamic_energy_pJ",
                "ic_read_dynamic_energy_pJ"):
        chip[key] = sum(r[key] for r in layers)
    chip.update(chip_area_um2=1e6, area_cim_array_um2=4e5, area_adc_um2=2e5, area_accum_um2=1e5, area_ic_um2=1e5,
                area_other_um2=2e5, clk_period_ns=2.5, read_latency_ns=300.0, leakage_power_uW=3.0,
                tops_per_w=12.5, tops=0.5, fps=3333.0, tops_per_mm2=0.5, mem_utilization_pct=42.0)
    schemas.write_table(pa.Table.from_pylist(layers), est / "layers.parquet")
    schemas.write_table(pa.Table.from_pylist([chip]), est / "chip.parquet")
    schemas.write_table(pa.Table.from_pylist([{"accuracy": 0.9012, "loss": 0.3, "digital_accuracy": 0.9437,
                                               "digital_loss": 0.2, "n_images": 1000}]), inf / "accuracy.parquet")
    fp_rows = [{"layer": i + 1, "num_tiles": i + 1, "speedup": 1, "utilization": 0.5, "mem_utilization_pct": 42.0,
                "cm_tile_size": 256, "cm_pe_size": 128, "nm_num_pe": 9, "nm_pe_size": 64} for i in range(len(NET))]
    schemas.write_table(pa.Table.from_pylist(fp_rows), fp / "floorplan.parquet")
    train.mkdir()
    history = [{"step": s, "train_loss": 1.0 / s, "train_accuracy": 1 - 1.0 / s} for s in (10, 20, 30, 40)]
    (train / "metrics.json").write_text(json.dumps({"accuracy": 0.95, "steps": 40, "mode": "wage", "device": "cpu",
                                                    "history": history}))
    traces.mkdir()
    _traces(traces)
    return est, inf, fp, train, traces


@pytest.fixture
def stage_dirs(tmp_path):
    return _stage_dirs(tmp_path)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("report")
    est, inf, fp, train, traces = _stage_dirs(tmp_path)
    out = tmp_path / "report"
    write_report(compose(["device=rram", "tech=n45"]), out, est, inf, fp, train, traces)
    return out


def _section(md, title):
    return md.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _md_table(text):
    """The first Markdown table in ``text`` as (headers, rows of cells)."""
    lines = []
    for ln in text.splitlines():
        if ln.startswith("|"):
            lines.append(ln)
        elif lines:
            break
    split = [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
    return split[0], [r for r in split[2:]]


def test_accuracies_and_drop(report):
    md = (report / "report.md").read_text()
    head = _section(md, "Headline")
    assert "| accuracy, hardware-aware | 90.12 % |" in head
    assert "| accuracy, digital (no hardware model) | 94.37 % |" in head
    assert "| accuracy drop | 4.25 percentage points |" in head
    assert "| test images | 1,000 |" in head


def test_shares_split_buffer_and_interconnect_out_of_other(report):
    md = (report / "report.md").read_text()
    headers, rows = _md_table(_section(md, "Shares of area, energy and latency"))
    assert headers[0] == "part" and all("(" in h for h in headers[1:])  # every figure has its unit
    by_part = {r[0]: dict(zip(headers[1:], r[1:])) for r in rows}
    # energy: ADC 3000, accum 1200, buffer 600, IC 300, other 1800 - 900 = 900, leakage 300 pJ -> of 6300
    e = {p: by_part[p]["energy share (%)"] for p in ("ADC", "accumulation", "buffer", "interconnect", "other",
                                                      "leakage")}
    assert e == {"ADC": "47.6", "accumulation": "19.0", "buffer": "9.5", "interconnect": "4.8", "other": "14.3",
                 "leakage": "4.8"}
    # latency summed over the 3 layers: ADC 120, accum 60, buffer 30, IC 15, rest 120 - 45 = 75 -> of 300
    assert by_part["other"]["latency, summed over layers (us)"] == "0.075"
    assert by_part["buffer"]["latency share (%)"] == "10.0"
    # area: the estimator has no buffer area: buffers stay inside "other (incl. buffers)"
    assert by_part["buffer"]["area (mm^2)"] == "n/a"
    assert by_part["other (incl. buffers)"]["area share (%)"] == "20.0"
    assert by_part["CIM array"]["area (mm^2)"] == "0.4"


def test_per_layer_shapes_macs_area_and_tops_per_w(report):
    md = (report / "report.md").read_text()
    headers, rows = _md_table(_section(md, "Per layer"))
    assert headers[:6] == ["#", "layer", "id", "input HxWxC", "operation", "MACs (per image)"]
    assert "area (mm^2)" in headers and "efficiency (TOPS/W)" in headers
    rows = [dict(zip(headers, r)) for r in rows]
    assert [r["layer"] for r in rows] == ["conv1", "conv2", "fc1"]
    assert [r["id"] for r in rows] == ["Conv0", "Conv1", "FC0"]
    assert rows[1]["input HxWxC"] == "8x8x4" and rows[1]["operation"] == "3x3 conv -> 8, max-pool"
    assert rows[2]["operation"] == "fc 128 -> 10"
    assert rows[1]["MACs (per image)"] == f"{8 * 8 * 4 * 9 * 8:,}"
    assert rows[1]["area (mm^2)"] == "0.05"
    # TOPS/W = 2 * MACs / (dynamic + leakage energy) / zeta (validated: 1.22), as the estimator does for the chip
    expected = 2 * 8 * 8 * 4 * 9 * 8 / ((2000.0 + 100.0) * 1e-12) / 1e12 / 1.22
    assert float(rows[1]["efficiency (TOPS/W)"]) == pytest.approx(expected, rel=1e-3)
    assert "tile area 0.15 mm^2 of the chip's 1 mm^2 (15.0 %" in md
    assert f"MACs {8 * 8 * 1 * 9 * 4 + 8 * 8 * 4 * 9 * 8 + 128 * 10:,} per image" in md


def test_every_floorplan_column_has_a_unit(report):
    md = (report / "report.md").read_text()
    section = _section(md, "Floorplan")
    headers, rows = _md_table(section)
    assert len(rows) == 3
    for h in headers:
        assert h in ("#", "layer") or re.search(r"\(.+\)$", h), h
    for name in ("memory utilisation (%", "tile size (cells", "PE size (cells", "PEs per tile (count"):
        assert name in section


def test_design_line_names_device_clock_node_compat_version_commit(report):
    md = (report / "report.md").read_text()
    line = next(ln for ln in md.splitlines() if ln.startswith("Design: "))
    for part in ("vgg8 x0.25", "RRAM 1T1R", "R_on 100 kohm", "R_off 1.7 Mohm", "on/off 17", "45 nm LSTP",
                 "clock 2.5 ns", "5-bit MLSA ADC", "compat neurosim_v14", "neurosim-flow 0.1.0", "commit "):
        assert part in line, (part, line)
    commit = line.rsplit("commit ", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?|unknown", commit)


def test_html_and_markdown_come_from_the_same_document(report):
    html_text = (report / "report.html").read_text()

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.imgs, self.h2 = [], [], []
            self._in_h2 = False

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "img":
                self.imgs.append(dict(attrs)["src"])
            self._in_h2 = tag == "h2"

        def handle_data(self, data):
            if self._in_h2:
                self.h2.append(data)
                self._in_h2 = False

    p = Collect()
    p.feed(html_text)
    md = (report / "report.md").read_text()
    assert p.h2 == re.findall(r"^## (.+)$", md, re.M)
    assert sorted(p.imgs) == ["breakdown.png", "shares.png", "training_curve.png"]
    assert all((report / src).is_file() for src in p.imgs)
    assert p.tags.count("table") >= 7 and "style" in p.tags
    assert "94.37 %" in html_text and "R_on 100 kohm" in html_text


def _ink(path):
    import matplotlib.image as mpimg

    img = mpimg.imread(path)
    rgb = (img[..., :3] * 255).astype(int)
    return len({tuple(c) for c in rgb.reshape(-1, 3)[::5]}), float(np.mean(rgb.sum(axis=2) < 700)), img.shape


def test_figures_are_drawn(report):
    for name in ("breakdown.png", "shares.png", "training_curve.png"):
        colours, ink, shape = _ink(report / name)
        assert colours > 20 and 0.02 < ink < 0.7 and shape[1] > 600, (name, colours, ink, shape)


def test_readable_names():
    raw = ["Conv0_", "Conv1_", "Conv3_", "L2B0a_", "L2B0sc_", "D1L2_1x1_", "T1_", "FC0_", "FC1_", "weird_"]
    kinds = ["conv"] * 7 + ["fc", "fc", "conv"]
    assert content.readable_names(raw, kinds) == [
        "conv1", "conv2", "conv3", "stage 2 block 1 conv a", "stage 2 block 1 shortcut", "dense 1 layer 3 1x1",
        "transition 1", "fc1", "fc2", "weird"]


def test_area_the_estimator_assigns_to_no_part_is_its_own_share():
    chip = {c: 0.0 for c in schemas.CHIP_COLUMNS}
    chip.update(chip_area_um2=100.0, area_cim_array_um2=30.0, area_adc_um2=20.0, area_accum_um2=10.0,
                area_ic_um2=10.0, area_other_um2=10.0, read_dynamic_energy_pJ=1.0, other_read_dynamic_energy_pJ=1.0)
    share = content.shares(chip, [_layer(0, "x")])
    rows = {r["part"]: r for r in share["rows"]}
    assert rows[content.UNASSIGNED]["area_share"] == pytest.approx(0.2)
    assert rows["CIM array"]["area_share"] == pytest.approx(0.3)
    assert any("in none of its parts" in n for n in share["notes"])


def test_split_parts_flags_a_buffer_larger_than_other():
    row = _layer(0, "x")
    row.update(other_read_latency_ns=10.0, buffer_latency_ns=8.0, ic_latency_ns=5.0)
    parts = content.split_parts(row)
    assert parts["rest_latency_ns"] == 0.0 and not parts["split_ok"]
    assert parts["rest_energy_pJ"] == 300.0 - 100.0 - 50.0


def test_report_without_digital_accuracy_says_so(stage_dirs, tmp_path):
    est, inf, fp, train, traces = stage_dirs
    schemas.write_table(pa.Table.from_pylist([{"accuracy": 0.5, "loss": 0.3}]), inf / "accuracy.parquet")
    out = tmp_path / "old"
    write_report(compose(), out, est, inf, fp, train, traces)
    md = (out / "report.md").read_text()
    assert "| accuracy, digital (no hardware model) | n/a (re-run the infer stage) |" in md


def test_document_rendering_is_reusable_and_escapes():
    doc = Document("Sweep <adc>", [Section("Points", [
        Table([Column("point", "ADC bits", numeric=False), Column("e", "energy", "uJ", 1e-6)],
              [{"point": "3|4", "e": 2.5e6}]),
        KeyValues([("a & b", "<1>")]), Figure("m.png", "metrics")])], subtitle="line")
    md = render_document(doc, "md")
    assert "| ADC bits | energy (uJ) |" in md and "| 3\\|4 | 2.5 |" in md and "![metrics](m.png)" in md
    html_text = render_document(doc, "html")
    assert "<title>Sweep &lt;adc&gt;</title>" in html_text and "a &amp; b" in html_text
    assert "&lt;1&gt;" in html_text and '<td class="num">2.5</td>' in html_text
    with pytest.raises(ValueError, match="allowed: md, html"):
        render_document(doc, "pdf")


def test_write_document_is_atomic(tmp_path):
    doc = Document("t", [Section("s", [KeyValues([("k", "v")])])])
    md, html_path = write_document(doc, tmp_path, "x")
    assert md.read_text().startswith("# t") and html_path.read_text().startswith("<!doctype html>")
    assert not list(tmp_path.glob(".*tmp"))


def test_unreadable_train_metrics_or_traces_are_one_line_naming_the_file(stage_dirs, tmp_path):
    est, inf, fp, train, traces = stage_dirs
    (train / "metrics.json").write_text("{not json")
    with pytest.raises(schemas.SchemaError) as err:
        write_report(compose(), tmp_path / "r1", est, inf, fp, train, traces)
    assert str(train / "metrics.json") in str(err.value) and "\n" not in str(err.value)
    (train / "metrics.json").write_text("{}")
    (traces / "traces.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(schemas.SchemaError) as err:
        write_report(compose(), tmp_path / "r2", est, inf, fp, train, traces)
    assert str(traces / "traces.parquet") in str(err.value) and "\n" not in str(err.value)
