"""Device-aware WAGE training (DNN+NeuroSim V2.1 semantics), resumable per epoch, with per-epoch
accuracy/loss, training traces (``train_traces.parquet``) and V2.0-style statistics.

The loop follows the V2.1 wrapper's ``train.py`` (documented in
``shared/reference/neurosim_v21/README.md``, "What the V2.1 python wrapper computes" and
"Python-side training non-idealities"), on our own WAGE layers (`pipeline.algo.quant`):

* forward with ``Q(C(w, wl_weight))`` weights and ``Q(C(x, wl_activate))`` activations, SSE loss,
  backward with ``QE`` error quantisation (all from `pipeline.algo.quant`);
* per parameter: momentum ``v = gamma v + alpha g`` (reset each epoch, as V2.1), the normalised
  gradient ``x = grad_scale * v / 2^round(log2 max|v|)`` (`pipeline.algo.quant.pow2_round`), the device
  update `pipeline.training.device.device_update` (pulses through the non-linear LTP/LTD curve,
  stochastic rounding), then ``w -= d``, c2c noise where ``d != 0``, clip (`apply_update_`);
* ``grad_scale`` is divided by ``lr_decay_factor`` at each of ``lr_decay_epochs``;
* ``compat='neurosim_v21'`` (the default) reproduces the wrapper's defects, one quirk each
  (`neurosim_core.quirks`, scope "training"): the momentum buffer rescaled by QG, V2.1's init beyond
  the weight range, the raw-input first layer, ``weightOld = param + grad``, the floored NL labels
  and the per-batch test loss; ``corrected`` does none of them.

Per traced epoch the trace set holds the new weight codes, the weights before the epoch's last
update (``corrected``: the true pre-step weights; ``neurosim_v21``: V2.1's ``param + grad``, which
differs from them only by the last step's c2c noise and clipping), the input codes of test image 0 for every layer and the
activity averaged over ``trace_images`` test images (see `pipeline.flow.schemas`).

Determinism: the initial weights come from ``torch.manual_seed(seed)``; the shuffle of epoch ``e``
from its own generator seeded by ``(seed, e)``; the d2d draws from a generator seeded by ``seed``;
stochastic rounding and c2c noise from one generator whose state is checkpointed each epoch.  A run
resumed from a checkpoint reproduces the uninterrupted run exactly (tested).
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from neurosim_core import quirks

from ..algo.quant import QConv2d, QLinear, pow2_round, quant_layers
from .config import OnchipConf, OnchipDeviceConf
from .device import apply_update_, device_a, device_update

_POPCOUNT = torch.tensor([bin(i).count("1") for i in range(256)], dtype=torch.float64)


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("onchip.device='cuda' but CUDA is not available here; allowed: cpu, auto")
    return torch.device(name)


def sse_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """WAGE / V2.1 loss: 0.5 * sum over batch and classes of (logits - onehot)^2."""
    onehot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    return 0.5 * ((logits - onehot) ** 2).sum()


# ------------------------------------------------------------------------------------------------
@dataclass
class DeviceState:
    """Per-parameter device parameters (``A`` in pulses for LTP / LTD)."""

    a_ltp: list[torch.Tensor]
    a_ltd: list[torch.Tensor]


def make_device_state(params: list[torch.Tensor], dev: OnchipDeviceConf, seed: int,
                      compat: str = "corrected") -> DeviceState:
    """``A`` of every device; with d2d variation one N(0, d2d) draw per device, shared by LTP/LTD.
    Under ``compat='neurosim_v21'`` the labels are read as V2.1's table lookup does (floored to 0.01,
    at least 0.01 unless exactly 0: quirk ``v21_nl_label_floored``)."""
    gen = torch.Generator().manual_seed(seed * 7919 + 17)
    table = quirks.applies("v21_nl_label_floored", compat)
    a_ltp, a_ltd = [], []
    for p in params:
        d2d = torch.randn(p.shape, generator=gen, dtype=torch.float64) * dev.d2d_sigma if dev.d2d_sigma > 0 else None
        shape = p.shape if d2d is not None else ()
        a_ltp.append(device_a(shape, dev.nonlinearity_ltp, d2d, dev.max_level, p.device, p.dtype, table_labels=table))
        a_ltd.append(device_a(shape, dev.nonlinearity_ltd, d2d, dev.max_level, p.device, p.dtype, table_labels=table))
    return DeviceState(a_ltp, a_ltd)


def onchip_step(params: list[torch.Tensor], velocity: list[torch.Tensor], state: DeviceState,
                conf: OnchipConf, dev: OnchipDeviceConf, grad_scale: float, gen: torch.Generator | None,
                grad_mult: list[float] | None = None) -> list[torch.Tensor]:
    """One V2.1 weight update of every parameter from its ``.grad``; returns the updates ``d``
    (``w_new = clip(w - d + c2c)``).  Momentum buffers are updated in place (under
    ``compat='neurosim_v21'`` also rescaled by QG's normalisation, quirk
    ``v21_momentum_buffer_normalised_by_qg``).

    ``grad_mult[i]`` (a power of two, default 1) multiplies parameter i's gradient before the
    momentum: `OnchipRun` passes each layer's output divisor ``scale``, so that ``g`` is V2.1's
    gradient (its layers pass the weight gradient straight through ``w * scale``: dL/dw of the product
    before the division).  With plain momentum QG's normalisation makes a power-of-two factor cancel
    exactly; with V2.1's rescaled buffer it sets how much a new gradient turns the normalised ``v``."""
    deltas = []
    with torch.no_grad():
        for i, p in enumerate(params):
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            if grad_mult is not None and grad_mult[i] != 1:
                g = g * grad_mult[i]
            v = velocity[i].mul_(conf.momentum_gamma).add_(g, alpha=conf.momentum_alpha)
            m = v.abs().max()
            if m == 0 or not torch.isfinite(m):
                d = torch.zeros_like(p)
            else:
                s = pow2_round(m)
                x = v * (grad_scale / s)
                if quirks.applies("v21_momentum_buffer_normalised_by_qg", conf.compat):
                    v.div_(s)              # V2.1: QG normalises the aliased momentum buffer in place
                d = device_update(p.data, x, state.a_ltp[i], state.a_ltd[i], dev.max_level, conf.wl_weight,
                                  conf.wl_grad, generator=gen, continuous_pulses=dev.continuous_pulses)
            apply_update_(p.data, d, dev.c2c_sigma, conf.wl_weight, generator=gen)
            deltas.append(d)
    return deltas


# ------------------------------------------------------------------------------------------------
def _bits_mean(codes: torch.Tensor, abits: int) -> torch.Tensor:
    """Mean bit of two's-complement ``abits``-bit codes (0..1)."""
    u = torch.remainder(codes.to(torch.int64), 2 ** abits)
    if abits <= 8:
        ones = _POPCOUNT.to(codes.device)[u]
    else:
        ones = sum(((u >> b) & 1).double() for b in range(abits))
    return ones.mean() / abits


@torch.no_grad()
def capture_traces(model: nn.Module, images: torch.Tensor, weight_old: list[torch.Tensor], epoch: int,
                   abits: int, wbits: int) -> list[dict]:
    """Rows of ``train_traces.parquet`` for every quantised layer: codes of image 0, activity over
    all ``images`` (K), new weight codes and the given pre-update weights."""
    from ..algo.models import network_table
    from ..algo.trace_export import capture_layer_inputs, input_codes, weight_codes

    layers = quant_layers(model)
    captured = capture_layer_inputs(model, images, layers)
    rows = network_table(model, (1,) + tuple(images.shape[1:]))
    out = []
    for m, row, w_old in zip(layers, rows, weight_old):
        codes = input_codes(m, captured[m], abits)                                      # (K, rows, L)
        pad = int(m.padding[0]) if isinstance(m, QConv2d) else 0
        out.append({
            "epoch": epoch, "name": m.name, "net_row": tuple(int(v) for v in row), "padding": pad,
            "wbits": wbits, "abits": abits,
            "weight_q": weight_codes(m.weight, wbits).cpu().numpy().astype(np.int16),
            "weight_old": w_old.detach().reshape(w_old.shape[0], -1).t().float().cpu().numpy(),
            "input_q": codes[0].cpu().numpy().astype(np.int16),
            "activity": float(_bits_mean(codes, abits)), "n_images": int(images.shape[0]),
        })
    return out


def _delta_stats(d: torch.Tensor) -> dict[str, float]:
    d = d.detach().double()
    nz = d != 0
    return {"mean": float(d.mean()), "std": float(d.std()) if d.numel() > 1 else 0.0,
            "mean_abs": float(d.abs().mean()), "nonzero_frac": float(nz.double().mean()),
            "ltp_frac": float((d < 0).double().mean()), "ltd_frac": float((d > 0).double().mean())}


def _weight_stats(w: torch.Tensor, wbits: int) -> dict[str, float]:
    w = w.detach().double()
    lim = 1.0 - 2.0 ** (1 - wbits)
    q = torch.quantile(w.flatten()[: 1 << 24], torch.tensor([0.05, 0.5, 0.95], dtype=w.dtype, device=w.device))
    return {"mean": float(w.mean()), "std": float(w.std()) if w.numel() > 1 else 0.0, "min": float(w.min()),
            "max": float(w.max()), "p05": float(q[0]), "p50": float(q[1]), "p95": float(q[2]),
            "saturated_frac": float((w.abs() >= lim - 1e-6).double().mean())}


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int, device,
             per_batch: bool = False) -> tuple[float, float]:
    """Test accuracy and the SSE loss per image (``per_batch``: V2.1's figure, each batch's summed SSE
    averaged over the batches, quirk ``v21_test_loss_per_batch``)."""
    was = model.training
    model.eval()
    correct, loss, batches = 0, 0.0, 0
    for i in range(0, len(y), batch):
        xb, yb = x[i:i + batch].to(device), y[i:i + batch].to(device)
        out = model(xb)
        loss += float(sse_loss(out, yb))
        correct += int((out.argmax(1) == yb).sum())
        batches += 1
    model.train(was)
    return correct / max(len(y), 1), loss / max(batches if per_batch else len(y), 1)


# ------------------------------------------------------------------------------------------------
def _atomic_torch_save(obj, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    torch.save(obj, tmp)
    tmp.replace(path)


def v21_init_(model: nn.Module, seed: int) -> nn.Module:
    """V2.1's ``wage_init_`` (factor 1) on every quantised layer, in place: weights uniform in
    ``+-max(1.5, sqrt(3/fan_in))`` (for 5-bit weights ``1.5 * 16 / 2^(wl_weight-1)``; beyond the +-15/16 a
    cell holds) and the output divisor ``scale = max(1, 2^round(log2(Wm / sqrt(3/fan_in))))``, ``Wm`` =
    1.5 for 5 bits (quirk ``v21_init_beyond_weight_range``; our init: uniform over the representable
    range, scale matched to a He-initialised layer's spread, `pipeline.algo.quant.wage_scale`).  The draws
    come from a generator seeded by ``seed``.  V2.1's forward also leaves the weights unclipped until
    the first update clips them; ours clips them in the forward from the first step."""
    gen = torch.Generator().manual_seed(seed * 104729 + 7)
    with torch.no_grad():
        for m in quant_layers(model):
            fan_in = m.weight[0].numel()
            float_limit = math.sqrt(3.0 / fan_in)
            wm = 1.5 * 16 / 2 ** (m.wl_weight - 1)
            m.scale = max(1.0, 2.0 ** round(math.log2(wm / float_limit)))
            w = torch.rand(m.weight.shape, generator=gen, dtype=torch.float64) * 2 - 1
            m.weight.copy_(w * max(wm, float_limit))
    return model


def v21_raw_input_(model: nn.Module) -> nn.Module:
    """V2.1's first conv reads the raw (normalised float) image: its model has no input quantiser
    (quirk ``v21_first_layer_raw_input``; ours feeds it the ``wl_activate``-bit codes the hardware reads).
    The trace of that input is still its codes (V2.1's ``dec2bin`` floors, as `capture_traces`)."""
    iq = getattr(model, "input_quant", None)
    if iq is not None:
        iq.bits = -1
    return model


def v21_output_layer_(model: nn.Module) -> nn.Module:
    """V2.1's last FC is built with ``wl_activate=-1``: its output (the logits) is neither clipped nor
    quantised; only its error is QE-quantised on the way back.  Applied to the on-chip model in place."""
    last = quant_layers(model)[-1]
    if not isinstance(last, QLinear):
        raise ValueError(f"on-chip training expects the last quantised layer to be a QLinear, got {type(last).__name__}")
    last.wl_activate = -1
    return model


class OnchipRun:
    """One on-chip training run: model, learning devices, momentum and generators; `run_epoch`
    trains one epoch and returns its record, statistics rows and trace rows; `save`/`load` move the
    whole state between epochs (or processes: the ``training`` DAG runs one job per epoch)."""

    def __init__(self, model: nn.Module, data, conf: OnchipConf, dev: OnchipDeviceConf):
        self.model, self.data, self.conf, self.dev = model, data, conf, dev
        v21_output_layer_(model)       # logits unquantised, as V2.1 (wl_activate=-1 on the last FC)
        self.device = next(model.parameters()).device
        layers = quant_layers(model)
        self.params = [m.weight for m in layers]
        self.names = [m.name for m in layers]
        if len(self.params) != len(list(model.parameters())):
            raise ValueError("on-chip training expects every parameter to be a quantised layer weight (no biases)")
        if quirks.applies("v21_init_beyond_weight_range", conf.compat):
            v21_init_(model, conf.seed)        # (a resumed run then loads its weights over these)
        if quirks.applies("v21_first_layer_raw_input", conf.compat):
            v21_raw_input_(model)
        self.grad_mult = [float(m.scale) for m in layers]
        self.state = make_device_state(self.params, dev, conf.seed, conf.compat)
        self.gen = torch.Generator(device=self.device).manual_seed(conf.seed + 1)
        self.velocity = [torch.zeros_like(p) for p in self.params]
        self.next_epoch = 0

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_torch_save({"model": self.model.state_dict(), "velocity": self.velocity, "gen": self.gen.get_state(),
                            "epoch": self.next_epoch, "conf": asdict(self.conf), "device_conf": asdict(self.dev)},
                           path)

    def load(self, path: Path) -> None:
        ck = torch.load(path, map_location=self.device, weights_only=False)
        self.model.load_state_dict(ck["model"])
        for v, v0 in zip(self.velocity, ck["velocity"]):
            v.copy_(v0)
        self.gen.set_state(ck["gen"].cpu())   # a ByteTensor on the CPU for CPU and CUDA generators
        self.next_epoch = int(ck["epoch"])

    def run_epoch(self) -> tuple[dict, list[dict], list[dict]]:
        conf, dev, data, model, params = self.conf, self.dev, self.data, self.model, self.params
        epoch, device = self.next_epoch, self.device
        t0 = time.perf_counter()
        n = len(data.y_train)
        bs = min(conf.batch_size, n)
        steps = conf.steps_per_epoch or max(1, n // bs)
        if conf.momentum_reset_each_epoch:
            for v in self.velocity:
                v.zero_()
        decays = sum(1 for e in conf.lr_decay_epochs if epoch >= e)
        gscale = conf.grad_scale / conf.lr_decay_factor ** decays
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(conf.seed * 1000003 + epoch))
        loss_sum, correct, seen = 0.0, 0, 0
        acc_stats: list[dict[str, float]] = [dict() for _ in params]
        w_old: list[torch.Tensor] = []
        deltas: list[torch.Tensor] = []
        model.train()
        for k in range(steps):
            lo = (k * bs) % n
            idx = perm[lo:lo + bs]
            xb, yb = data.x_train[idx].to(device), data.y_train[idx].to(device)
            for p in params:
                p.grad = None
            out = model(xb)
            loss = sse_loss(out, yb)
            loss.backward()
            if k == steps - 1:
                w_old = [p.detach().clone() for p in params]
            deltas = onchip_step(params, self.velocity, self.state, conf, dev, gscale, self.gen, self.grad_mult)
            if k == steps - 1 and quirks.applies("v21_weight_old_param_plus_grad", conf.compat):
                w_old = [p.detach() + d for p, d in zip(params, deltas)]   # V2.1: param + grad after W()
            if conf.average_updates:
                for i, d in enumerate(deltas):
                    for key, val in _delta_stats(d).items():
                        acc_stats[i][key] = acc_stats[i].get(key, 0.0) + val / steps
            loss_sum += float(loss.detach())
            correct += int((out.detach().argmax(1) == yb).sum())
            seen += len(yb)
        acc, test_loss = evaluate(model, data.x_test, data.y_test, conf.eval_batch_size, device,
                                  per_batch=quirks.applies("v21_test_loss_per_batch", conf.compat))
        record = {"epoch": epoch, "accuracy": acc, "loss": test_loss, "train_loss": loss_sum / max(seen, 1),
                  "train_accuracy": correct / max(seen, 1), "grad_scale": gscale, "steps": steps,
                  "n_test": int(len(data.y_test)), "epoch_time_s": time.perf_counter() - t0}
        k_img = min(conf.trace_images, len(data.y_test))
        rows = capture_traces(model, data.x_test[:k_img].to(device), w_old, epoch, conf.wl_activate, conf.wl_weight)
        stats = []
        for i, (name, p, d, row) in enumerate(zip(self.names, params, deltas, rows)):
            base = {"epoch": epoch, "layer_index": i, "name": name}
            stats.append(dict(base, quantity="input_activity", statistic="mean", value=row["activity"]))
            stats.append(dict(base, quantity="input_activity", statistic="n_images", value=float(k_img)))
            for key, val in _weight_stats(p, conf.wl_weight).items():
                stats.append(dict(base, quantity="weight", statistic=key, value=val))
            dstats = acc_stats[i] if conf.average_updates else _delta_stats(d)
            for key, val in dstats.items():
                stats.append(dict(base, quantity="delta", statistic=key, value=val))
            stats.append(dict(base, quantity="delta", statistic="averaged_steps",
                              value=float(steps if conf.average_updates else 1)))
        self.next_epoch = epoch + 1
        return record, stats, rows


def write_epoch(out_dir: Path, record: dict, stats: list[dict], rows: list[dict]) -> None:
    """One epoch's files: ``train_traces.parquet`` and ``record.json`` (history row + statistics)."""
    from ..flow import schemas

    out_dir.mkdir(parents=True, exist_ok=True)
    schemas.write_table(schemas.train_traces_to_table(rows), out_dir / "train_traces.parquet")
    tmp = out_dir / ".record.json.tmp"
    tmp.write_text(json.dumps({"record": record, "stats": stats}))
    tmp.replace(out_dir / "record.json")


def train_onchip(model: nn.Module, data, conf: OnchipConf, dev: OnchipDeviceConf, work_dir: Path,
                 stop_after_epoch: int | None = None, log=print) -> dict:
    """Train ``model`` (built right after ``torch.manual_seed(conf.seed)``, on the training device) on
    ``data`` (a `pipeline.algo.data.Dataset`) through the learning device, in one process.

    Each finished epoch lands in ``work_dir/epoch_<e>/`` (`write_epoch`) and ``work_dir/state.pt``;
    a later call with the same ``work_dir`` resumes after the last finished epoch.  Returns
    ``{"history": [...], "stats": [...], "traced_epochs": [...]}``."""
    work_dir = Path(work_dir)
    run = OnchipRun(model, data, conf, dev)
    ckpt = work_dir / "state.pt"
    if ckpt.exists():
        run.load(ckpt)
        log(f"resuming after epoch {run.next_epoch - 1}")
    while run.next_epoch < conf.epochs:
        record, stats, rows = run.run_epoch()
        write_epoch(work_dir / f"epoch_{record['epoch']:03d}", record, stats, rows)
        run.save(ckpt)
        log(f"epoch {record['epoch']}: accuracy {record['accuracy']:.4f} loss {record['loss']:.4f} "
            f"train_loss {record['train_loss']:.4f} ({record['epoch_time_s']:.1f} s)")
        if stop_after_epoch is not None and record["epoch"] >= stop_after_epoch:
            break
    history, stats = collect_epochs(work_dir, range(run.next_epoch))
    return {"history": history, "stats": stats, "traced_epochs": conf.traced_epochs()}


def collect_epochs(work_dir: Path, epochs) -> tuple[list[dict], list[dict]]:
    history, stats = [], []
    for e in epochs:
        doc = json.loads((Path(work_dir) / f"epoch_{e:03d}" / "record.json").read_text())
        history.append(doc["record"])
        stats += doc["stats"]
    return history, stats


__all__ = ["OnchipRun", "v21_output_layer_", "v21_init_", "v21_raw_input_", "write_epoch", "collect_epochs", "train_onchip", "onchip_step", "make_device_state", "capture_traces", "evaluate", "sse_loss",
           "resolve_device"]
