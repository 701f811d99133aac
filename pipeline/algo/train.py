"""WAGE quantised training (and a float baseline) for the NeuroSim networks.

Training loop after the DNN+NeuroSim V1.4 wrapper (``Inference_pytorch/train.py``; Peng et al.,
IEDM 2019) and WAGE (Wu et al., ICLR 2018): in ``wage`` mode the loss is the sum of squared errors
against one-hot targets, every parameter gradient goes through ``QG`` (stochastic rounding, seeded),
SGD with momentum updates the float shadow weights and the weights are clipped back to the WAGE
range after each step.  ``fp`` mode uses the same network with all quantisers disabled and
cross-entropy.

Outputs in ``out_dir``: ``model.pt`` (model + optimiser + step + RNG state; a later call with the
same ``out_dir`` resumes from it) and ``metrics.json``.
"""
from __future__ import annotations

import collections
import json
import logging
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import DataConfig, ModelConfig, TrainConfig, to_dict
from .data import Dataset, load_data
from .models import build_model
from .progress import Progress
from .quant import clip_weights_, qg

log = logging.getLogger("neurosim_flow")


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("TrainConfig.device='cuda' but CUDA is not available; allowed here: 'cpu' | 'auto'")
    return torch.device(name)


def sse_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """WAGE loss: 0.5 * sum over batch and classes of (logits - onehot)^2."""
    onehot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    return 0.5 * ((logits - onehot) ** 2).sum()


def criterion_for(mode: str, reduction: str = "sum"):
    """WAGE: SSE (summed, as in WAGE; QG normalises the scale).  FP: cross-entropy."""
    if mode == "wage":
        return sse_loss
    return lambda o, t: F.cross_entropy(o, t, reduction=reduction)


@torch.no_grad()
def evaluate_digital(model: nn.Module, x: torch.Tensor, y: torch.Tensor, mode: str = "wage",
                     batch_size: int = 256, device: torch.device | str = "cpu") -> dict:
    """Accuracy and mean per-sample loss of the (ideal, digital) quantised model."""
    model.eval()
    crit = criterion_for(mode)
    correct, loss, n = 0, 0.0, len(y)
    for i in range(0, n, batch_size):
        xb, yb = x[i:i + batch_size].to(device), y[i:i + batch_size].to(device)
        out = model(xb)
        loss += float(crit(out, yb))
        correct += int((out.argmax(1) == yb).sum())
    return {"accuracy": correct / max(n, 1), "loss": loss / max(n, 1), "n": n}


def train(model_cfg: ModelConfig, train_cfg: TrainConfig, data_cfg: DataConfig, out_dir: str,
          data: Dataset | None = None, progress_every_s: float = 10.0) -> dict:
    """Train (or resume) and evaluate; returns the metrics dict also written to ``metrics.json``.

    Progress (step, loss and accuracy over the latest 50 steps, elapsed time, ETA) goes to
    the ``neurosim_flow`` logger every ``progress_every_s`` seconds and at the end, and to a tqdm
    bar when stderr is a terminal (`pipeline.algo.progress`).
    """
    model_cfg.validate(); train_cfg.validate(); data_cfg.validate()
    torch.set_num_threads(train_cfg.num_threads)
    device = resolve_device(train_cfg.device)
    os.makedirs(out_dir, exist_ok=True)
    ckpt_path = os.path.join(out_dir, "model.pt")

    torch.manual_seed(train_cfg.seed)
    if data is None:
        data = load_data(data_cfg, model_cfg)
    model = build_model(model_cfg, train_cfg).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=train_cfg.lr, momentum=train_cfg.momentum,
                          weight_decay=train_cfg.weight_decay)
    gen_cpu = torch.Generator().manual_seed(train_cfg.seed)           # shuffling
    gen_dev = torch.Generator(device=device).manual_seed(train_cfg.seed + 1)  # QG rounding
    step, history = 0, []
    if os.path.isfile(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        step, history = ck["step"], ck.get("history", [])
        gen_cpu.set_state(ck["gen_cpu"])
        gen_dev.set_state(ck["gen_dev"].to("cpu") if device.type == "cpu" else ck["gen_dev"])

    n = len(data.y_train)
    bs = min(train_cfg.batch_size, n)
    steps_per_epoch = max(1, n // bs)
    total = train_cfg.steps if train_cfg.steps else train_cfg.epochs * steps_per_epoch
    if train_cfg.max_steps:
        total = min(total, train_cfg.max_steps)
    crit = criterion_for(train_cfg.mode, reduction="mean")
    wage = train_cfg.mode == "wage"

    model.train()
    t0 = time.perf_counter()
    run_steps, loss_acc, corr_acc, seen = 0, 0.0, 0, 0
    window = collections.deque(maxlen=50)  # (loss, correct, n) of the latest 50 steps, for progress lines
    interval: list[tuple[float, int, int]] = []  # the same, since the previous history point
    perm = None
    if step:
        log.info("train: resuming from step %d of %d (%s)", step, total, ckpt_path)
    bar = Progress(total=total, desc="train", unit="step", initial=min(step, total), log_every_s=progress_every_s)
    while step < total:
        epoch, k = divmod(step, steps_per_epoch)
        if perm is None or k == 0:
            # the permutation of an epoch is a pure function of (seed, epoch): resumable
            perm = torch.randperm(n, generator=torch.Generator().manual_seed(train_cfg.seed * 1000003 + epoch))
        decays = sum(1 for e in train_cfg.lr_decay_epochs if epoch >= e)
        gscale = train_cfg.grad_scale / (8.0 ** decays)
        for g in opt.param_groups:
            g["lr"] = train_cfg.lr if wage else train_cfg.lr * (0.1 ** decays)
        idx = perm[k * bs:(k + 1) * bs]
        xb, yb = data.x_train[idx].to(device), data.y_train[idx].to(device)
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = crit(out, yb)
        loss.backward()
        if wage:
            for p in model.parameters():
                if p.grad is not None:
                    p.grad = qg(p.grad, train_cfg.wl_grad, gscale, generator=gen_dev)
        opt.step()
        if wage:
            clip_weights_(model)
        step += 1
        run_steps += 1
        step_loss = float(loss.detach()) / (len(yb) if wage else 1)
        step_correct = int((out.detach().argmax(1) == yb).sum())
        loss_acc += step_loss
        corr_acc += step_correct
        seen += len(yb)
        window.append((step_loss, step_correct, len(yb)))
        interval.append(window[-1])
        bar.update(step, loss=sum(w[0] for w in window) / len(window),
                   acc=sum(w[1] for w in window) / sum(w[2] for w in window))
        if step % train_cfg.log_every == 0 or step == total:
            # train_*: running means since this run started; interval_*: means since the previous point
            history.append({"step": step, "train_loss": loss_acc / max(run_steps, 1),
                            "train_accuracy": corr_acc / max(seen, 1),
                            "interval_loss": sum(w[0] for w in interval) / len(interval),
                            "interval_accuracy": sum(w[1] for w in interval) / sum(w[2] for w in interval)})
            interval.clear()
    bar.close()
    train_time = time.perf_counter() - t0

    ev = evaluate_digital(model, data.x_test, data.y_test, train_cfg.mode, train_cfg.eval_batch_size, device)
    log.info("train: %d steps (%d this run) in %.1f s; digital test accuracy %.2f %% on %d images",
             step, run_steps, train_time, 100 * ev["accuracy"], ev["n"])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step, "history": history,
                "gen_cpu": gen_cpu.get_state(), "gen_dev": gen_dev.get_state(),
                "model_cfg": to_dict(model_cfg), "train_cfg": to_dict(train_cfg)}, ckpt_path)
    metrics = {
        "accuracy": ev["accuracy"], "loss": ev["loss"], "n_test": ev["n"],
        "train_loss": history[-1]["train_loss"] if history else None,
        "train_accuracy": history[-1]["train_accuracy"] if history else None,
        "steps": step, "steps_this_run": run_steps, "train_time_s": train_time,
        "step_time_s": train_time / run_steps if run_steps else None,
        "device": str(device), "mode": train_cfg.mode, "history": history,
        "model_cfg": to_dict(model_cfg), "train_cfg": to_dict(train_cfg), "data_cfg": to_dict(data_cfg),
    }
    with open(os.path.join(out_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    return metrics


def load_trained(out_dir: str, device: str = "cpu") -> nn.Module:
    """Rebuild the model from ``out_dir/model.pt``."""
    ck = torch.load(os.path.join(out_dir, "model.pt"), map_location=device, weights_only=False)
    mc = ModelConfig(**ck["model_cfg"])
    tc_d = dict(ck["train_cfg"]); tc_d["lr_decay_epochs"] = tuple(tc_d["lr_decay_epochs"])
    model = build_model(mc, TrainConfig(**tc_d)).to(device)
    model.load_state_dict(ck["model"])
    model.eval()
    return model


__all__ = ["train", "evaluate_digital", "sse_loss", "resolve_device", "load_trained"]
