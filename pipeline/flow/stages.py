"""Stage entry points: one function per DAG stage, each ``run_<stage>(flow, out_dir, inputs)``.

A stage reads only its upstream stages' files, writes into its own keyed directory, and
finishes with the resolved config it was made from (``config.yaml``) for provenance.  Every
file is written atomically (temporary name, then rename), so an interrupted run never leaves
a half-written result that looks complete.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import json
import logging
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

from . import schemas
from .config import FlowConfig, stage_keys, stage_slices

log = logging.getLogger("neurosim_flow")


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(path)


@functools.lru_cache(maxsize=1)
def code_version() -> dict[str, str]:
    """The code a result was made with: the installed package version and the git commit of the
    checkout (``<sha>`` or ``<sha>-dirty`` with uncommitted changes; ``unknown`` outside git)."""
    try:
        version = importlib.metadata.version("neurosim-flow")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    root = Path(__file__).resolve().parents[2]
    commit = "unknown"
    try:
        # only when the package sits at the top of its own checkout (an installed copy inside some
        # other repository, e.g. a venv in a project's tree, must not report that repository)
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=10)
        if top.returncode == 0 and Path(top.stdout.strip()).resolve() == root:
            out = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty", "--abbrev=12",
                                  "--exclude=*"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                commit = out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {"package_version": version, "git_commit": commit}


def write_provenance(flow: FlowConfig, stage: str, out_dir: Path) -> None:
    doc = {
        "stage": stage,
        "key": stage_keys(flow)[stage],
        "slice": stage_slices(flow)[stage],
        "overrides": list(flow.overrides),
        "resolved": flow.to_dict(),
        "created_unix_s": round(time.time(), 3),
        **code_version(),
    }
    _atomic_write_text(out_dir / "config.yaml", yaml.safe_dump(json.loads(json.dumps(doc, default=str)),
                                                               sort_keys=False))


# ---------------------------------------------------------------------------------------------
# torch side (algorithm level)
# ---------------------------------------------------------------------------------------------
def algo_configs(flow: FlowConfig):
    """Translate the Hydra groups into the algorithm-level typed configs."""
    from ..algo.config import DataConfig, HwInferConfig, ModelConfig, TrainConfig

    data = DataConfig(name=flow.data.name, root=flow.data.root or "",
                      n_train=flow.data.n_train or 0, n_test=flow.data.n_test or 0).validate()
    gray = flow.data.name == "mnist_embedded"
    model = ModelConfig(name=flow.network.name, width_mult=float(flow.network.width_mult), num_classes=10,
                        in_channels=1 if gray else 3, image_size=32).validate()
    t = flow.train
    # `train.max_steps` is the whole training budget (epochs follow from it), not a cap on one epoch
    train = TrainConfig(wl_weight=t.wl_weight, wl_activate=t.wl_activate, wl_grad=t.wl_grad, wl_error=t.wl_error,
                        mode=t.mode, steps=t.max_steps, max_steps=t.max_steps, batch_size=t.batch_size,
                        lr=float(t.lr), seed=t.seed, device=t.device, num_threads=t.threads,
                        # a training-curve point every ~1/60 of the budget (at most every 50 steps)
                        log_every=max(1, min(50, t.max_steps // 60))).validate()
    a, d = flow.array, flow.device
    hw = HwInferConfig(enabled=True, subarray=a.rows,
                       parallel_read=a.parallel_rows if a.parallel_rows else a.rows,
                       adc_bits=a.adc_bits, adc_mode=a.adc_mode, compat=flow.compat,
                       cell_bit=a.cell_bit,
                       on_off_ratio=d.on_off_ratio, vari=d.variation_sigma,
                       drift_t=d.drift_time_s, drift_v=d.drift_nu,
                       drift_mode="none" if d.drift_time_s == 0 else "to_target",
                       stuck_at_on=d.stuck_at_fraction / 2, stuck_at_off=d.stuck_at_fraction / 2,
                       seed=t.seed + 1_000_003 * flow.mc_seed).validate()
    return model, train, data, hw


#: test images of the training stage's own digital check (metrics.json); fixed, so that the training
#: key does not depend on data.n_test (the infer stage reports the digital and the hardware-aware
#: accuracy on data.n_test images)
TRAIN_CHECK_IMAGES = 256


def run_train(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from ..algo.train import train

    model_cfg, train_cfg, data_cfg, _ = algo_configs(flow)
    data_cfg = dataclasses.replace(data_cfg, n_test=TRAIN_CHECK_IMAGES)
    train(model_cfg, train_cfg, data_cfg, str(out_dir))
    write_provenance(flow, "train", out_dir)


def _load_model(flow: FlowConfig, train_dir: Path):
    from .integrity import IntegrityError, rebuild_command
    from ..algo.train import load_trained

    try:
        return load_trained(str(train_dir))
    except Exception as exc:  # truncated or foreign file: one line naming it and how to rebuild it
        raise IntegrityError(f"{train_dir / 'model.pt'}: not a readable trained model "
                             f"({type(exc).__name__}: {' '.join(str(exc).split())[:120]}); rebuild it with: "
                             f"{rebuild_command(train_dir, flow.overrides)}") from None


def _infer_progress(n_images: int, every_s: float = 10.0):
    """A `hw_infer.evaluate` progress callback: images done, running accuracy, ETA (log + bar)."""
    from ..algo.progress import Progress

    log.info("infer (hardware-aware): %d images; a progress line every %g s", n_images, every_s)
    bar = Progress(total=n_images, desc="infer (hardware-aware)", unit="image", log_every_s=every_s)

    def callback(done: int, total: int, correct: int) -> None:
        bar.update(done, acc=correct / max(done, 1))
        if done >= total:
            bar.close()
    return callback


def run_infer(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from ..algo.data import load_data
    from ..algo.hw_infer import evaluate

    model_cfg, train_cfg, data_cfg, hw_cfg = algo_configs(flow)
    model = _load_model(flow, inputs["train"])
    data = load_data(data_cfg, model_cfg)
    # the same images without the hardware model: the reference point of the accuracy drop
    digital = evaluate(model, data, dataclasses.replace(hw_cfg, enabled=False))
    log.info("infer: digital (no-hardware) accuracy %.2f %% on %d images", 100 * digital["accuracy"], digital["n"])
    metrics = evaluate(model, data, hw_cfg, progress=_infer_progress(len(data.y_test)))
    log.info("infer: hardware-aware accuracy %.2f %% (drop %.2f points)", 100 * metrics["accuracy"],
             100 * (digital["accuracy"] - metrics["accuracy"]))
    row = {"accuracy": float(metrics["accuracy"]), "loss": float(metrics["loss"]),
           "digital_accuracy": float(digital["accuracy"]), "digital_loss": float(digital["loss"]),
           "n_images": int(metrics.get("n", len(data.y_test))),
           "adc_bits": flow.array.adc_bits, "adc_mode": flow.array.adc_mode,
           "compat": flow.compat, "cell_bit": flow.array.cell_bit,
           "subarray_rows": flow.array.rows, "variation_sigma": flow.device.variation_sigma,
           "drift_time_s": flow.device.drift_time_s}
    schemas.write_table(pa.Table.from_pylist([row]), out_dir / "accuracy.parquet")
    write_provenance(flow, "infer", out_dir)


def run_traces(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from ..algo.data import load_data
    from ..algo.trace_export import extract_traces

    model_cfg, _, data_cfg, _ = algo_configs(flow)
    model = _load_model(flow, inputs["train"])
    images = load_data(data_cfg, model_cfg).x_test[: flow.trace_images]
    layers = extract_traces(model, images)
    rows = [dict(name=l.name, net_row=l.net_row, weight_q=l.weight_q, input_q=l.input_q,
                 wbits=l.wbits, abits=l.abits) for l in layers]
    schemas.write_table(schemas.traces_to_table(rows), out_dir / "traces.parquet")
    _atomic_write_text(out_dir / "network.csv", "".join(",".join(str(int(v)) for v in r["net_row"]) + "\n"
                                                       for r in rows))
    write_provenance(flow, "traces", out_dir)


# ---------------------------------------------------------------------------------------------
# hardware side (neurosim_core)
# ---------------------------------------------------------------------------------------------
def _network_and_traces(traces_file: Path):
    from neurosim_core.network import LayerSpec, Network
    from neurosim_core.traces import LayerTrace

    layers = schemas.read_traces(traces_file)
    network = Network(layers=tuple(LayerSpec(*l["net_row"]) for l in layers),
                      names=tuple(l["name"] for l in layers))
    traces = [LayerTrace(name=l["name"], weight_q=l["weight_q"], input_q=l["input_q"],
                         wbits=l["wbits"], abits=l["abits"]) for l in layers]
    return network, traces


def run_floorplan(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from neurosim_core.floorplan import floorplan
    from neurosim_core.params import resolve

    network, _ = _network_and_traces(inputs["traces"] / "traces.parquet")
    from .tables import floorplan_rows

    fp = floorplan(network, resolve(flow.hardware()))
    table = pa.Table.from_pylist(floorplan_rows(fp))
    schemas.write_table(table, out_dir / "floorplan.parquet")
    schemas.write_csv(table, out_dir / "floorplan.csv")
    write_provenance(flow, "floorplan", out_dir)


def run_estimate(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from neurosim_core.estimate import estimate
    from neurosim_core.params import resolve

    network, traces = _network_and_traces(inputs["traces"] / "traces.parquet")
    from .tables import chip_row, layer_rows, layer_tile_areas_um2

    params = resolve(flow.hardware())
    result = estimate(network, traces, params)
    rows = layer_rows(result)
    for row, area in zip(rows, layer_tile_areas_um2(network, params, result.floorplan)):
        row["tile_area_um2"] = area
    layers = pa.Table.from_pylist(rows)
    chip = pa.Table.from_pylist([chip_row(result)])
    for name, table in (("layers", layers), ("chip", chip)):
        schemas.write_table(table, out_dir / f"{name}.parquet")
        schemas.write_csv(table, out_dir / f"{name}.csv")
    write_provenance(flow, "estimate", out_dir)


def run_report(flow: FlowConfig, out_dir: Path, inputs: dict[str, Path]) -> None:
    from ..report import write_report

    write_report(flow, out_dir, estimate_dir=inputs["estimate"], infer_dir=inputs["infer"],
                 floorplan_dir=inputs["floorplan"], train_dir=inputs.get("train"), traces_dir=inputs.get("traces"))
    write_provenance(flow, "report", out_dir)


RUNNERS = {"train": run_train, "infer": run_infer, "traces": run_traces, "floorplan": run_floorplan,
           "estimate": run_estimate, "report": run_report}


def setup_logging(log_file: Path | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", handlers=handlers,
                        force=True)


def run_stage(stage: str, flow: FlowConfig, results_dir: Path) -> Path:
    """Run one stage for the design point ``flow``; upstream results must exist."""
    from .plan import UPSTREAM

    keys = stage_keys(flow)
    out_dir = results_dir / stage / keys[stage]
    inputs = {up: results_dir / up / keys[up] for up in UPSTREAM[stage]}
    from .integrity import MANIFEST, verify_stage_dir, write_manifest

    for up, d in inputs.items():
        if not d.exists():
            raise FileNotFoundError(f"{d}: upstream stage '{up}' has no result; run it first")
        verify_stage_dir(d, flow.overrides)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)  # being rebuilt: not a finished result until the end
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    t0 = time.perf_counter()
    log.info("stage %s -> %s", stage, out_dir)
    RUNNERS[stage](flow, out_dir, inputs)
    write_manifest(out_dir)  # last: the stage's files are complete
    log.info("stage %s done in %.1f s", stage, time.perf_counter() - t0)
    return out_dir
