"""Runners of the ``training`` DAG's jobs (called by ``python -m pipeline.training.cli``)."""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pyarrow as pa

from ..flow import schemas
from ..flow.config import FlowConfig
from .plan import epoch_dir, training_hardware, training_keys, training_slices

log = logging.getLogger("neurosim_flow")


def _provenance(flow: FlowConfig, stage: str, out_dir: Path, extra: dict | None = None) -> None:
    import yaml

    from ..flow.stages import _atomic_write_text

    doc = {"stage": stage, "key": training_keys(flow)[stage], "slice": training_slices(flow)[stage],
           "overrides": list(flow.overrides), **(extra or {}), "created_unix_s": round(time.time(), 3)}
    _atomic_write_text(out_dir / "config.yaml", yaml.safe_dump(json.loads(json.dumps(doc, default=str)),
                                                               sort_keys=False))


def model_and_data_configs(flow: FlowConfig):
    from ..algo.config import DataConfig, ModelConfig, TrainConfig

    o = flow.onchip
    gray = flow.data.name == "mnist_embedded"
    width = o.width_mult if o.width_mult is not None else flow.network.width_mult
    model = ModelConfig(name=flow.network.name, width_mult=float(width), num_classes=10,
                        in_channels=1 if gray else 3, image_size=o.image_size).validate()
    data = DataConfig(name=flow.data.name, root=flow.data.root or "", n_train=flow.data.n_train or 0,
                      n_test=flow.data.n_test or 0).validate()
    bits = TrainConfig(wl_weight=o.wl_weight, wl_activate=o.wl_activate, wl_error=o.wl_error, wl_grad=o.wl_grad)
    return model, data, bits


def _build(flow: FlowConfig):
    import torch

    from ..algo.data import load_data
    from ..algo.models import build_model
    from .onchip import OnchipRun, resolve_device

    o = flow.onchip
    torch.set_num_threads(o.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    device = resolve_device(o.device)
    model_cfg, data_cfg, bits = model_and_data_configs(flow)
    data = load_data(data_cfg, model_cfg)
    torch.manual_seed(o.seed)
    model = build_model(model_cfg, bits).to(device)
    return OnchipRun(model, data, o, flow.onchip_device), model_cfg


def run_train_epoch(flow: FlowConfig, epoch: int, train_dir: Path) -> None:
    """Train epoch ``epoch`` from ``epoch_<e-1>/state.pt`` (epoch 0: from the seeded init) and write
    ``epoch_<e>/``: train_traces.parquet, record.json, state.pt."""
    from .onchip import write_epoch

    run, _ = _build(flow)
    if epoch > 0:
        run.load(train_dir / epoch_dir(epoch - 1) / "state.pt")
    if run.next_epoch != epoch:
        raise RuntimeError(f"{train_dir / epoch_dir(epoch - 1) / 'state.pt'} holds the state after epoch "
                           f"{run.next_epoch - 1}, expected {epoch - 1}")
    record, stats, rows = run.run_epoch()
    out = train_dir / epoch_dir(epoch)
    write_epoch(out, record, stats, rows)
    run.save(out / "state.pt")
    log.info("epoch %d on %s: accuracy %.4f loss %.4f (%.1f s)", epoch, run.device, record["accuracy"],
             record["loss"], record["epoch_time_s"])


def run_train_collect(flow: FlowConfig, train_dir: Path) -> None:
    """Collect the epochs into history/stats tables; the final model and the network table."""
    import torch

    from ..algo.models import network_table
    from ..flow.stages import _atomic_write_text
    from .onchip import collect_epochs

    o = flow.onchip
    history, stats = collect_epochs(train_dir, range(o.epochs))
    for name, rows in (("history", history), ("stats", stats)):
        table = pa.Table.from_pylist(rows)
        schemas.write_table(table, train_dir / f"{name}.parquet")
        schemas.write_csv(table, train_dir / f"{name}.csv")
    run, model_cfg = _build(flow)
    run.load(train_dir / epoch_dir(o.epochs - 1) / "state.pt")
    rows = network_table(run.model, (1, model_cfg.in_channels, o.image_size, o.image_size))
    _atomic_write_text(train_dir / "network.csv", "".join(",".join(map(str, r)) + "\n" for r in rows))
    tmp = train_dir / ".model.pt.tmp"
    torch.save({"model": run.model.state_dict(), "model_cfg": dict(model_cfg.__dict__), "history": history}, tmp)
    tmp.replace(train_dir / "model.pt")
    _provenance(flow, "train_onchip", train_dir, {"device": str(run.device)})


def estimator_available() -> bool:
    try:
        from neurosim_core.training.estimate import estimate_training  # noqa: F401
    except ImportError:
        return False
    return True


def run_estimate_training(flow: FlowConfig, epoch: int, traces_file: Path, out_dir: Path) -> None:
    """Estimate one epoch's training cost from its trace set (the companion estimator)."""
    if not estimator_available():
        raise RuntimeError("the training estimator neurosim_core.training.estimate_training is not available in "
                           "this checkout (issue: V2.1 training estimator); the traces are ready in "
                           f"{traces_file.parent}")
    from .estimate import estimate_epoch

    row = estimate_epoch(flow, epoch, traces_file)
    table = pa.Table.from_pylist([row])
    schemas.write_table(table, out_dir / "estimate.parquet")
    schemas.write_csv(table, out_dir / "estimate.csv")
    _provenance(flow, "estimate_training", out_dir, {"epoch": epoch})


def run_aggregate(flow: FlowConfig, train_dir: Path, estimate_dir: Path, out_dir: Path) -> None:
    from .aggregate import aggregate

    aggregate(flow, train_dir, estimate_dir, out_dir)
    _provenance(flow, "training", out_dir)


__all__ = ["run_train_epoch", "run_train_collect", "run_estimate_training", "run_aggregate", "estimator_available",
           "model_and_data_configs", "training_hardware"]
