"""Published DNN+NeuroSim tables re-run side by side: IEDM'19 Table 1 and the V1.4 manual's Table VII.

    python -m pipeline.dse.reproduce iedm19_table1|v14_table7 [--traces DIR] [--network NET.csv] --out DIR

Each design point of ``pipeline/dse/published/<table>.yaml`` (the published figures, their source,
and the design as `neurosim_core.params.HardwareConfig` fields) is estimated on the VGG-8 traces
(default: ``tests/data/traces_vgg8``, the full-width VGG-8 CIFAR-10 traces the 45 reference
configurations were run on) and written beside the published figure with the ratio ours /
published: ``table.md``, ``table.csv``, ``table.parquet``.

Accuracy is not re-measured: the published accuracies come from VGG-8 trained on CIFAR-10 (not
available on this machine); the column shows the published value and ours is left empty.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl
import yaml

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = Path(__file__).resolve().parent / "published"
TABLES = ("iedm19_table1", "v14_table7")

NOTES = {
    "iedm19_table1": (
        "Why ours differ (large factors, honestly not a match): (1) model version: the paper ran DNN+NeuroSim "
        "V1.0 (2019); ours reimplements V1.4 (equal to the V1.4 C++ to 0.000 % on 45 configurations), whose "
        "technology scaling, periphery, leakage and calibration (alpha..zeta) changed since. V1.4 itself puts a "
        "VGG-8 SRAM chip at 5 nm at 14.6 mm2 (manual Table VII; ours 13.1), so the paper's 4.3-4.7 mm2 at 7 nm "
        "and its 105 mW leakage are V1.0 figures V1.4 no longer gives; (2) devices: V1.4 has no PCM/ECRAM "
        "model (here 1T1R RRAM with their R_on and on/off) and its FeFET is its own; the ECRAM's 500 Mohm cells "
        "make V1.4's current-mode sensing slow (270 ms per image), which the paper's model did not; "
        "(3) traces: the project's deterministic synthetic VGG-8 traces, not the paper's trained CIFAR-10 "
        "network's, so activity-dependent energy differs; (4) unstated settings (buffers, bus, clock, "
        "sub-array size: 128x128 assumed) take V1.4's defaults. Memory utilisation (mapping only) agrees within "
        "4 %."),
    "v14_table7": (
        "Why ours differ: the manual's figures come from its trained VGG-8 on CIFAR-10 traces; ours from the "
        "project's deterministic synthetic VGG-8 traces run through our V1.4 reimplementation (equal to the V1.4 "
        "C++ on the same traces to 0.000 % on 45 configurations). Areas do not depend on traces; TOPS and TOPS/W "
        "do (the number of active rows per read sets ADC and read energy and, with the synchronous clock, the "
        "cycle time). The manual does not state every Param.cpp setting used for this table (e.g. the synaptic "
        "R_on, pipeline and buffer settings); we take V1.4's defaults. The published TOPS/mm2 are rounded to two "
        "decimals (0.01, 0.02), which alone explains ratios up to 2 on the 22 nm rows."),
}


def load_table(name: str) -> dict:
    if name not in TABLES:
        raise ValueError(f"unknown table '{name}'; allowed: {', '.join(TABLES)}")
    return yaml.safe_load((PUBLISHED / f"{name}.yaml").read_text())


def run(name: str, traces_dir: Path, network_csv: Path, out_dir: Path) -> pl.DataFrame:
    from neurosim_core.estimate import estimate
    from neurosim_core.network import read_network_csv
    from neurosim_core.params import HardwareConfig, resolve

    from ..flow.direct import load_traces_dir
    from ..flow.tables import chip_row

    spec = load_table(name)
    network = read_network_csv(network_csv)
    traces = None
    rows = []
    for d in spec["designs"]:
        p = resolve(HardwareConfig.from_mapping({**spec["common"], **d["hardware"]}, source=f"{name}: {d['design']}"),
                    source=f"{name}: {d['design']}")
        traces = traces or load_traces_dir(traces_dir, p)
        t0 = time.perf_counter()
        r = estimate(network, traces, p)
        chip = chip_row(r)
        ours = {"accuracy_pct": None, "area_mm2": chip["chip_area_um2"] / 1e6,
                "mem_utilization_pct": chip["mem_utilization_pct"], "latency_ms": chip["read_latency_ns"] / 1e6,
                "energy_uJ": chip["read_dynamic_energy_pJ"] / 1e6, "leakage_mW": chip["leakage_power_uW"] / 1e3,
                "tops_per_w": chip["tops_per_w"], "fps": chip["fps"], "tops": chip["tops"],
                "tops_per_mm2": chip["tops_per_mm2"]}
        row = {"design": d["design"], "estimate_s": time.perf_counter() - t0}
        for col in spec["columns"]:
            pub, our = d["published"].get(col), ours.get(col)
            row[f"{col}_published"] = None if pub is None else float(pub)
            row[f"{col}_ours"] = None if our is None else float(our)
            row[f"{col}_ratio"] = float(our) / float(pub) if (pub and our is not None) else None
        rows.append(row)
    df = pl.DataFrame(rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    df.write_parquet(out_dir / "table.parquet")
    df.write_csv(out_dir / "table.csv")
    (out_dir / "table.md").write_text(markdown(name, spec, df))
    return df


def _f(v) -> str:
    if v is None:
        return "-"
    return f"{v:.3g}" if abs(v) < 1e4 else f"{v:.4g}"


def markdown(name: str, spec: dict, df: pl.DataFrame) -> str:
    """One row per design; each figure as ``ours / published (ratio)``."""
    cols = spec["columns"]
    lines = [f"### {spec['title']}: ours / published (ratio)", "",
             f"Published: {spec['source']}. Ours: neurosim-flow (V1.4 model), VGG-8 traces of "
             "`tests/data/traces_vgg8`.", "",
             "| design | " + " | ".join(cols.values()) + " |", "|---|" + "---|" * len(cols)]
    for r in df.iter_rows(named=True):
        cells = []
        for c in cols:
            pub, our, ratio = r[f"{c}_published"], r[f"{c}_ours"], r[f"{c}_ratio"]
            if our is None:
                cells.append(f"- / {_f(pub)}")
            elif pub is None:
                cells.append(f"{_f(our)} / -")
            else:
                cells.append(f"{_f(our)} / {_f(pub)} ({ratio:.2f})")
        lines.append(f"| {r['design']} | " + " | ".join(cells) + " |")
    ratios = {c: df[f"{c}_ratio"].drop_nulls() for c in cols if c != "accuracy_pct"}
    summary = ", ".join(f"{cols[c]} {s.min():.2f}-{s.max():.2f}" for c, s in ratios.items() if len(s))
    lines += ["", f"Ratio ranges (ours / published): {summary}. Accuracy is not re-measured (no CIFAR-10-trained "
                  "VGG-8 here): '-' in our column.", "", NOTES[name], ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.dse.reproduce", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("table", choices=TABLES)
    ap.add_argument("--traces", default=str(ROOT / "tests" / "data" / "traces_vgg8"))
    ap.add_argument("--network", default=str(ROOT / "tests" / "data" / "NetWork_VGG8.csv"))
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    try:
        df = run(args.table, Path(args.traces), Path(args.network), Path(args.out))
    except (ValueError, FileNotFoundError) as exc:
        print(f"neurosim-flow: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print((Path(args.out) / "table.md").read_text())
    print(f"{len(df)} designs in {df['estimate_s'].sum():.1f} s of estimation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
