"""Parse DNN+NeuroSim V1.4 ``main`` stdout logs into the reference results table.

Usage::

    python benchmarks/parse_reference_log.py LOG [LOG ...] [--config-name NAME ...] > results.csv

Each LOG is the full stdout of one reference run (``main NetWork.csv wbits abits rows parRows
weight/input CSV pairs``).  The output has the columns of ``tests/data/reference_v14/results.csv``:
one row per layer (floorplan and per-layer figures) and a ``chip`` row (floorplan summary, area
breakdown, clock, system figures, TOPS/W ...), preceded by the configuration columns.

The configuration is rebuilt from the Param.cpp defaults of V1.4, the run's Param.cpp edits and its
argv, both read from the ``<LOG stem>.time.txt`` sidecar next to the log (lines ``param_edits:
{json}``, ``argv: ...`` or the ``Command being timed: "..."`` line of ``/usr/bin/time -v``, whose
timing lines also fill wall_s / user_s / maxRSS_MB / exit_status).  Without a sidecar, pass the
edits with ``--param-edits JSON`` and the argv numbers with ``--argv "8 8 128 128"``.  The
sub-array size printed in the log ("User-defined SubArray Size: RxC") takes precedence over the
argv/Param values.  Printed numbers are copied verbatim (no reformatting).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from pathlib import Path

COLUMNS = (
    "config,layer,memcell,technode_nm,operationmode,subArrayRows,subArrayCols,parallelRead_rows,"
    "levelOutput,ADC_bits,cellBit,novelMapping,pipeline,globalBus,ADC_type,weightBits,inputBits,"
    "param_edits,numTiles,speedUp,utilization,memUtilization_pct,CM_tileSize,CM_PESize,NM_numPE,"
    "NM_PESize,chipArea_um2,area_CIMarray_um2,area_IC_um2,area_ADC_um2,area_Accum_um2,area_Other_um2,"
    "clkPeriod_ns,clkPeriod_s_first_pass,readLatency_ns,readDynamicEnergy_pJ,leakagePower_uW,"
    "leakageEnergy_pJ,bufferLatency_ns,bufferReadDynamicEnergy_pJ,icLatency_ns,icReadDynamicEnergy_pJ,"
    "ADC_readLatency_ns,Accum_readLatency_ns,Other_readLatency_ns,ADC_readDynamicEnergy_pJ,"
    "Accum_readDynamicEnergy_pJ,Other_readDynamicEnergy_pJ,TOPS_per_W,TOPS,FPS,TOPS_per_mm2,"
    "neurosim_selfreported_runtime_s,wall_s,user_s,maxRSS_MB,exit_status,error"
).split(",")

#: V1.4 Param.cpp defaults of the options the config columns describe
PARAM_DEFAULTS = {
    "operationmode": "2", "memcelltype": "1", "technode": "22", "numColSubArray": "128",
    "levelOutput": "32", "cellBit": "1", "novelMapping": "true", "pipeline": "true",
    "globalBusType": "false", "SARADC": "false", "currentMode": "true",
}

_NUM = r"([-+0-9.eE]+|-?nan|-?inf)"

#: per-layer figures: (column, regex on the layer's section); the unit suffix is dropped
_LAYER_PATTERNS = (
    ("readLatency_ns", rf"'s readLatency is: {_NUM}ns"),
    ("readDynamicEnergy_pJ", rf"'s readDynamicEnergy is: {_NUM}pJ"),
    ("leakagePower_uW", rf"'s leakagePower is: {_NUM}uW"),
    ("leakageEnergy_pJ", rf"'s leakageEnergy is: {_NUM}pJ"),
    ("bufferLatency_ns", rf"'s buffer latency is: {_NUM}ns"),
    ("bufferReadDynamicEnergy_pJ", rf"'s buffer readDynamicEnergy is: {_NUM}pJ"),
    ("icLatency_ns", rf"'s ic latency is: {_NUM}ns"),
    ("icReadDynamicEnergy_pJ", rf"'s ic readDynamicEnergy is: {_NUM}pJ"),
)

#: chip summary figures (pipelined and layer-by-layer wordings)
_CHIP_PATTERNS = (
    ("chipArea_um2", rf"ChipArea : {_NUM}um\^2"),
    ("area_CIMarray_um2", rf"Chip total CIM array : {_NUM}um\^2"),
    ("area_IC_um2", rf"Total IC Area on chip \(Global and Tile/PE local\): {_NUM}um\^2"),
    ("area_ADC_um2", rf"Total ADC \(or S/As and precharger for SRAM\) Area on chip : {_NUM}um\^2"),
    ("area_Accum_um2", rf"Total Accumulation Circuits \([^)]*\) on chip : {_NUM}um\^2"),
    ("area_Other_um2", rf"Other Peripheries \([^)]*\) : {_NUM}um\^2"),
    ("clkPeriod_ns", rf"Chip clock period is: {_NUM}ns"),
    ("readLatency_ns", rf"Chip (?:pipeline-system-clock-cycle \(per image\)|layer-by-layer readLatency "
                       rf"\(per image\)) is: {_NUM}ns"),
    ("readDynamicEnergy_pJ", rf"Chip (?:pipeline-system readDynamicEnergy \(per image\)|total readDynamicEnergy)"
                             rf" is: {_NUM}pJ"),
    ("leakageEnergy_pJ", rf"Chip (?:pipeline-system leakage Energy \(per image\)|total leakage Energy) is: {_NUM}pJ"),
    ("leakagePower_uW", rf"Chip (?:pipeline-system leakage Power \(per image\)|total leakage Power) is: {_NUM}uW"),
    ("bufferLatency_ns", rf"Chip (?:pipeline-system )?buffer readLatency(?: \(per image\))? is: {_NUM}ns"),
    ("bufferReadDynamicEnergy_pJ", rf"Chip (?:pipeline-system )?buffer readDynamicEnergy(?: \(per image\))? is: "
                                   rf"{_NUM}pJ"),
    ("icLatency_ns", rf"Chip (?:pipeline-system )?ic readLatency(?: \(per image\))? is: {_NUM}ns"),
    ("icReadDynamicEnergy_pJ", rf"Chip (?:pipeline-system )?ic readDynamicEnergy(?: \(per image\))? is: {_NUM}pJ"),
    ("TOPS_per_W", rf"Energy Efficiency TOPS/W \([^)]*\): {_NUM}"),
    ("TOPS", rf"Throughput TOPS \([^)]*\): {_NUM}"),
    ("FPS", rf"Throughput FPS \([^)]*\): {_NUM}"),
    ("TOPS_per_mm2", rf"Compute efficiency TOPS/mm\^2 \([^)]*\): {_NUM}"),
    ("neurosim_selfreported_runtime_s", r"Total Run-time of NeuroSim: (\d+) seconds"),
)

#: the six-line latency / dynamic-energy breakdown, in print order
_BREAKDOWN = (
    ("ADC_readLatency_ns", rf"----------- ADC [^\n]*readLatency is : {_NUM}ns"),
    ("Accum_readLatency_ns", rf"----------- Accumulation Circuits [^\n]*readLatency is : {_NUM}ns"),
    ("Other_readLatency_ns", rf"----------- Other Peripheries [^\n]*readLatency is : {_NUM}ns"),
    ("ADC_readDynamicEnergy_pJ", rf"----------- ADC [^\n]*readDynamicEnergy is : {_NUM}pJ"),
    ("Accum_readDynamicEnergy_pJ", rf"----------- Accumulation Circuits [^\n]*readDynamicEnergy is : {_NUM}pJ"),
    ("Other_readDynamicEnergy_pJ", rf"----------- Other Peripheries [^\n]*readDynamicEnergy is : {_NUM}pJ"),
)


def _search(pattern: str, text: str, what: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"cannot find {what} in the log")
    return match.group(1)


def _floorplan_section(text: str, title: str) -> dict[int, str]:
    """{layer number: value} of one floorplan list ("----- <title> -----" then "layerN: v")."""
    match = re.search(re.escape(title) + r"[ -]*\n((?:\s*layer\d+: [^\n]*\n)+)", text)
    if match is None:
        raise ValueError(f"cannot find the floorplan section '{title}'")
    return {int(n): v.strip() for n, v in re.findall(r"layer(\d+): ([^\n]*)", match.group(1))}


def parse_time_sidecar(path: Path) -> dict[str, str]:
    """param_edits / argv numbers / timing figures from a ``<config>.time.txt`` sidecar."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    text = path.read_text(errors="replace")
    edits = re.search(r"^param_edits: (.*)$", text, re.M)
    if edits:
        out["param_edits"] = edits.group(1).strip()
    command = re.search(r'Command being timed: "([^"]*)"', text) or re.search(r"^argv: (.*)$", text, re.M)
    if command:
        words = command.group(1).split()
        for i, word in enumerate(words):
            if word.endswith(".csv"):  # NetWork.csv: the next four words are argv[2..5]
                out["argv"] = " ".join(words[i + 1:i + 5])
                break
    user = re.search(r"User time \(seconds\): ([0-9.]+)", text)
    if user:
        out["user_s"] = repr(float(user.group(1)))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", text)
    if wall:
        seconds = 0.0
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
        out["wall_s"] = repr(round(seconds, 2))
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if rss:
        out["maxRSS_MB"] = repr(int(rss.group(1)) / 1024)
    status = re.search(r"Exit status: (\d+)", text)
    if status:
        out["exit_status"] = status.group(1)
    return out


def _truthy(text: str) -> bool:
    return str(text).strip().lower() in ("true", "1")


def config_columns(edits: dict[str, str], argv: list[str], log_text: str) -> dict[str, str]:
    """The config columns of a run from its Param.cpp edits, argv[2..5] and log."""
    param = dict(PARAM_DEFAULTS)
    param.update({k: str(v) for k, v in edits.items()})
    memcell = {"1": "SRAM", "2": "RRAM", "3": "FeFET"}[param["memcelltype"].strip()]
    mode = {"1": "conventionalSequential", "2": "conventionalParallel"}[param["operationmode"].strip()]
    rows, cols = None, param["numColSubArray"]
    size = re.search(r"User-defined SubArray Size: (\d+)x(\d+)", log_text)
    if size:
        rows, cols = size.group(1), size.group(2)
    weight_bits, input_bits, argv_rows, argv_par = (argv + [""] * 4)[:4] if argv else ("", "", "", "")
    rows = rows or argv_rows or "128"
    level = int(param["levelOutput"])
    cell_bit = "1" if memcell == "SRAM" else param["cellBit"].strip()
    if _truthy(param["SARADC"]):
        adc = "SAR"
    else:
        adc = "MLSA(CSA)" if _truthy(param["currentMode"]) else "MLSA(VSA)"
    return {
        "memcell": memcell, "technode_nm": param["technode"].strip(), "operationmode": mode,
        "subArrayRows": rows, "subArrayCols": cols, "parallelRead_rows": argv_par or rows,
        "levelOutput": str(level), "ADC_bits": str(int(round(math.log2(level)))), "cellBit": cell_bit,
        "novelMapping": "true" if _truthy(param["novelMapping"]) else "false",
        "pipeline": "true" if _truthy(param["pipeline"]) else "false",
        "globalBus": "HTree" if _truthy(param["globalBusType"]) else "XYBus",
        "ADC_type": adc, "weightBits": weight_bits or "8", "inputBits": input_bits or "8",
        "param_edits": json.dumps({k: str(v) for k, v in edits.items()}) if edits else "",
    }


def parse_log(text: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    """(per-layer rows, chip row) of the figures one log prints (no config columns)."""
    tiles = _floorplan_section(text, "# of tile used for each layer")
    speedups = _floorplan_section(text, "Speed-up of each layer")
    utilization = _floorplan_section(text, "Utilization of each layer")
    layers = []
    for n in sorted(tiles):
        start = text.index(f"Estimation of Layer {n} ")
        end = text.find("Estimation of Layer", start + 10)
        section = text[start:end if end > 0 else text.index("Summary", start)]
        row = {"layer": str(n), "numTiles": tiles[n], "speedUp": speedups[n], "utilization": utilization[n]}
        for column, pattern in _LAYER_PATTERNS + _BREAKDOWN:
            row[column] = _search(pattern, section, f"layer {n} {column}")
        layers.append(row)
    summary = text[text.index("------------------------------ Summary"):]
    chip = {"layer": "chip", "numTiles": str(sum(int(v) for v in tiles.values()))}
    chip["memUtilization_pct"] = _search(rf"Memory Utilization of Whole Chip: {_NUM} %", text, "memory utilization")
    chip["CM_tileSize"] = _search(r"Desired Conventional Mapped Tile Storage Size: (\d+)x", text, "CM tile size")
    chip["CM_PESize"] = _search(r"Desired Conventional PE Storage Size: (\d+)x", text, "CM PE size")
    novel = re.search(r"Desired Novel Mapped Tile Storage Size: (\d+)x(\d+)x", text)
    chip["NM_numPE"], chip["NM_PESize"] = (novel.group(1), novel.group(2)) if novel else ("", "")
    chip["clkPeriod_s_first_pass"] = _search(rf"\nclkPeriod: {_NUM}", text, "first-pass clkPeriod")
    for column, pattern in _CHIP_PATTERNS + _BREAKDOWN:
        chip[column] = _search(pattern, summary, f"chip {column}")
    return layers, chip


def rows_for_log(log: Path, config: str, edits: dict[str, str] | None = None,
                 argv: list[str] | None = None) -> list[dict[str, str]]:
    """All results.csv rows (layers, then chip) of one run."""
    text = log.read_text(errors="replace")
    side = parse_time_sidecar(log.with_name(log.name[:-len(log.suffix)] + ".time.txt"))
    if edits is None:
        edits = json.loads(side.get("param_edits") or "{}")
    if argv is None:
        argv = side.get("argv", "").split()
    common = {"config": config, **config_columns(edits, argv, text)}
    layers, chip = parse_log(text)
    timing = {k: side.get(k, "") for k in ("wall_s", "user_s", "maxRSS_MB", "exit_status")}
    timing["error"] = ""
    out = []
    for row in layers + [chip]:
        full = {c: "" for c in COLUMNS}
        full.update(common)
        full.update(row)
        if row is not chip:  # the self-reported run time is only on the chip row
            full["neurosim_selfreported_runtime_s"] = ""
        full.update(timing)
        out.append(full)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="+", type=Path, help="stdout logs of reference runs")
    parser.add_argument("--config-name", action="append",
                        help="config name per log, in order (default: the log's file stem)")
    parser.add_argument("--param-edits", help="JSON of Param.cpp edits (overrides the .time.txt sidecar)")
    parser.add_argument("--argv", help="argv[2..5] of main, e.g. '8 8 128 128' (overrides the sidecar)")
    args = parser.parse_args(argv)
    names = args.config_name or []
    if names and len(names) != len(args.logs):
        parser.error("give one --config-name per log")
    edits = json.loads(args.param_edits) if args.param_edits else None
    run_argv = args.argv.split() if args.argv else None
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i, log in enumerate(args.logs):
        name = names[i] if names else log.name.removesuffix(".log")
        for row in rows_for_log(log, name, edits, run_argv):
            writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
