"""Aggregate of the ``training`` DAG: per-epoch table (accuracy, loss, latency and energy per phase,
TOPS/W), cumulative totals and plots.

``estimate.parquet`` (one row per traced epoch, written by `pipeline.training.estimate`) carries
``latency_<phase>_s`` and ``energy_<phase>_J`` for the phases in `PHASES` (disjoint parts of the
epoch's total: forward, activation gradient, weight gradient, weight update, DRAM traffic),
``latency_total_s``, ``energy_total_J`` (dynamic + leakage), ``tops_per_w``, ``tops``.  An untraced
epoch (``onchip.trace_every > 1``) is costed like the next traced one: ``epochs_represented`` says
how many epochs each estimate stands for in the cumulative totals.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..flow import schemas
from .plan import epoch_dir

PHASES = ("fw", "ag", "wg", "wu", "dram")
PHASE_LABELS = {"fw": "forward (FW)", "ag": "activation gradient (AG)", "wg": "weight gradient (WG)",
                "wu": "weight update (WU)", "dram": "DRAM"}
ESTIMATE_COLUMNS = (("epoch",) + tuple(f"latency_{p}_s" for p in PHASES) + tuple(f"energy_{p}_J" for p in PHASES)
                    + ("latency_total_s", "energy_total_J", "tops_per_w", "tops"))


def per_epoch_table(history: list[dict], estimates: dict[int, dict]) -> list[dict]:
    """One row per traced epoch: accuracy and loss of that epoch, its estimate, cumulative totals."""
    by_epoch = {int(h["epoch"]): h for h in history}
    rows, prev, cum_e, cum_l = [], -1, 0.0, 0.0
    for e in sorted(estimates):
        est, h = estimates[e], by_epoch[e]
        n = e - prev
        prev = e
        cum_e += n * float(est["energy_total_J"])
        cum_l += n * float(est["latency_total_s"])
        row = {"epoch": e, "epochs_represented": n, "accuracy": float(h["accuracy"]), "loss": float(h["loss"]),
               "train_loss": float(h["train_loss"])}
        for c in ESTIMATE_COLUMNS[1:]:
            row[c] = float(est[c])
        row["cumulative_energy_J"] = cum_e
        row["cumulative_latency_s"] = cum_l
        rows.append(row)
    return rows


def _plots(rows: list[dict], history: list[dict], out_dir: Path, title: str) -> None:
    import textwrap

    title = "\n".join(textwrap.wrap(title, 70))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ep_all = [h["epoch"] for h in history]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ep_all, [100 * h["accuracy"] for h in history], "o-", label="test")
    ax.plot(ep_all, [100 * h["train_accuracy"] for h in history], "s--", alpha=0.7, label="train (running)")
    ax.set_xticks(ep_all)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(f"accuracy vs epoch\n{title}", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_dir / ".accuracy.png.tmp.png", dpi=120)
    plt.close(fig)
    (out_dir / ".accuracy.png.tmp.png").replace(out_dir / "accuracy.png")

    ep = np.array([r["epoch"] for r in rows])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, kind, unit in ((axes[0], "energy", "J"), (axes[1], "latency", "s")):
        bottom = np.zeros(len(rows))
        for p in PHASES:
            vals = np.array([r[f"{kind}_{p}_{unit}"] for r in rows])
            ax.bar(ep, vals, bottom=bottom, label=PHASE_LABELS[p])
            bottom += vals
        ax.set_xticks(ep)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{kind} per epoch ({unit})")
        ax.set_title(f"{kind} per epoch by phase", fontsize=9)
        ax.grid(alpha=0.3, axis="y")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(PHASES), fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(out_dir / ".energy_latency.png.tmp.png", dpi=120)
    plt.close(fig)
    (out_dir / ".energy_latency.png.tmp.png").replace(out_dir / "energy_latency.png")

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([r["cumulative_energy_J"] for r in rows], [100 * r["accuracy"] for r in rows], "o-")
    for r in rows:
        ax.annotate(str(r["epoch"]), (r["cumulative_energy_J"], 100 * r["accuracy"]), fontsize=7,
                    textcoords="offset points", xytext=(3, 3))
    ax.set_xlabel("cumulative training energy (J)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"accuracy vs cumulative energy (labels: epoch)\n{title}", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_dir / ".accuracy_vs_energy.png.tmp.png", dpi=120)
    plt.close(fig)
    (out_dir / ".accuracy_vs_energy.png.tmp.png").replace(out_dir / "accuracy_vs_energy.png")


def aggregate(flow, train_dir: Path, estimate_dir: Path, out_dir: Path) -> list[dict]:
    from ..flow.stages import _atomic_write_text

    out_dir.mkdir(parents=True, exist_ok=True)
    history = schemas.read_table(train_dir / "history.parquet", ("epoch", "accuracy", "loss")).to_pylist()
    estimates = {}
    for e in flow.onchip.traced_epochs():
        t = schemas.read_table(estimate_dir / epoch_dir(e) / "estimate.parquet", ESTIMATE_COLUMNS)
        estimates[e] = t.to_pylist()[0]
    rows = per_epoch_table(history, estimates)
    table = pa.Table.from_pylist(rows)
    schemas.write_table(table, out_dir / "per_epoch.parquet")
    schemas.write_csv(table, out_dir / "per_epoch.csv")
    last = rows[-1]
    totals = {"epochs": flow.onchip.epochs, "final_accuracy": last["accuracy"], "final_loss": last["loss"],
              "total_energy_J": last["cumulative_energy_J"], "total_latency_s": last["cumulative_latency_s"]}
    for kind, unit in (("energy", "J"), ("latency", "s")):
        for p in PHASES:
            totals[f"total_{kind}_{p}_{unit}"] = float(sum(r["epochs_represented"] * r[f"{kind}_{p}_{unit}"]
                                                       for r in rows))
    totals["mean_tops_per_w"] = float(np.mean([r["tops_per_w"] for r in rows]))
    schemas.write_csv(pa.Table.from_pylist([totals]), out_dir / "totals.csv")
    d = flow.onchip_device
    title = (f"{flow.network.name} on {flow.data.name}, device {d.name} (NL {d.nonlinearity_ltp:g}/"
             f"{d.nonlinearity_ltd:g}, {d.max_level} levels, c2c {d.c2c_sigma:g}), {flow.device.mem_cell} "
             f"{flow.tech.node_nm} nm")
    _plots(rows, history, out_dir, title)
    lines = [f"# On-chip training: {title}", "",
             "| epoch | accuracy | loss | E_FW J | E_AG J | E_WG J | E_WU J | E_DRAM J | E_total J | L_total s | TOPS/W |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['epoch']} | {100 * r['accuracy']:.2f} % | {r['loss']:.4f} | "
                     + " | ".join(f"{r[f'energy_{p}_J']:.4g}" for p in PHASES)
                     + f" | {r['energy_total_J']:.4g} | {r['latency_total_s']:.4g} | {r['tops_per_w']:.4g} |")
    lines += ["", f"Total over {flow.onchip.epochs} epochs: energy {totals['total_energy_J']:.4g} J, latency "
              f"{totals['total_latency_s']:.4g} s; final accuracy {100 * totals['final_accuracy']:.2f} %.", ""]
    _atomic_write_text(out_dir / "summary.md", "\n".join(lines))
    return rows


def aggregate_sweep(name: str, points: list[tuple[str, Path]], out_dir: Path) -> None:
    """One row per sweep point: final accuracy, total energy/latency; a plot of both vs the point."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..flow.stages import _atomic_write_text

    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, path in points:
        t = pq.read_table(path).to_pylist()
        last = t[-1]
        rows.append({"point": label, "final_accuracy": last["accuracy"], "best_accuracy": max(r["accuracy"] for r in t),
                     "total_energy_J": last["cumulative_energy_J"], "total_latency_s": last["cumulative_latency_s"],
                     "energy_wu_J_last_epoch": last["energy_wu_J"]})
    table = pa.Table.from_pylist(rows)
    schemas.write_table(table, out_dir / "sweep.parquet")
    schemas.write_csv(table, out_dir / "sweep.csv")
    lines = [f"# Training sweep `{name}`", "", "| point | final accuracy | total energy J | total latency s |",
             "|---|---|---|---|"]
    lines += [f"| {r['point']} | {100 * r['final_accuracy']:.2f} % | {r['total_energy_J']:.4g} | "
              f"{r['total_latency_s']:.4g} |" for r in rows]
    _atomic_write_text(out_dir / "sweep.md", "\n".join(lines) + "\n")
    fig, ax = plt.subplots(figsize=(7, 4))
    x = np.arange(len(rows))
    ax.bar(x, [100 * r["final_accuracy"] for r in rows], color="tab:blue")
    ax.set_xticks(x, [r["point"] for r in rows], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("final test accuracy (%)", color="tab:blue")
    ax2 = ax.twinx()
    ax2.plot(x, [r["total_energy_J"] for r in rows], "o-", color="tab:red")
    ax2.set_ylabel("total training energy (J)", color="tab:red")
    ax2.set_ylim(0, 1.15 * max(r["total_energy_J"] for r in rows))   # from 0: small differences stay small
    ax.set_title(f"training sweep {name}", fontsize=9)
    fig.tight_layout()
    fig.savefig(out_dir / ".sweep.png.tmp.png", dpi=120)
    plt.close(fig)
    (out_dir / ".sweep.png.tmp.png").replace(out_dir / "sweep.png")


__all__ = ["PHASES", "ESTIMATE_COLUMNS", "per_epoch_table", "aggregate", "aggregate_sweep"]
