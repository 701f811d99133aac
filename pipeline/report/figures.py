"""The reports' PNG figures (matplotlib, Agg backend), each written atomically."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

#: the colour of each breakdown part, the same in every figure
PART_COLOURS = {"CIM array": "C0", "ADC": "C1", "accumulation": "C2", "buffer": "C4", "interconnect": "C3",
                "other": "C7", "leakage": "C5", "other (incl. buffers)": "#5f5f5f",
                "not in the estimator's parts": "#d9d9d9"}


def atomic_savefig(fig, path: Path, dpi: int = 110) -> None:
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)


def breakdown_plot(layers: Sequence[Mapping], chip: Mapping, path: Path, title: str = "",
                   area_parts: Sequence[tuple[str, float]] | None = None) -> None:
    """Stacked per-layer latency and energy (ADC / accumulation / buffer / interconnect / other)
    and the chip area breakdown.

    ``layers`` are rows with ``label`` and the ``<part>_latency_ns`` / ``<part>_energy_pJ``
    columns of `pipeline.report.content.split_parts`; ``area_parts`` (label, um^2) pairs.
    """
    from .content import AREA_PARTS, LATENCY_ENERGY_PARTS, UNASSIGNED

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), layout="constrained")
    names = [r["label"] for r in layers]
    x = list(range(len(layers)))
    for ax, (quantity, unit, shown, scale, panel) in zip(axes[:2], (
            ("latency", "ns", "us", 1e-3, "read latency per layer"),
            ("energy", "pJ", "nJ", 1e-3, "read dynamic energy per layer"))):
        bottom = [0.0] * len(layers)
        for key, label in LATENCY_ENERGY_PARTS:
            vals = [max(float(r[f"{key}_{quantity}_{unit}"]), 0.0) * scale for r in layers]
            ax.bar(x, vals, bottom=bottom, label=label, color=PART_COLOURS[label])
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_xticks(x, names, rotation=45, ha="right")
        ax.set_ylabel(f"{'latency' if quantity == 'latency' else 'dynamic energy'} ({shown})")
        ax.set_title(panel)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8)
    if area_parts is None:
        area_parts = [(label, float(chip[key])) for key, label in AREA_PARTS]
        rest = float(chip["chip_area_um2"]) - sum(v for _, v in area_parts)
        if rest > 1e-9 * float(chip["chip_area_um2"]):
            area_parts.append((UNASSIGNED, rest))
    labels = [lbl for lbl, _ in area_parts]
    axes[2].bar([lbl.replace("not in the ", "not in the\n") for lbl in labels], [v / 1e6 for _, v in area_parts],
                color=[PART_COLOURS.get(lbl, "C9") for lbl in labels], edgecolor="#444444", linewidth=0.5)
    axes[2].set_ylabel("area (mm$^2$)")
    axes[2].set_title(f"chip area breakdown (total {float(chip['chip_area_um2']) / 1e6:.3g} mm$^2$)")
    axes[2].tick_params(axis="x", rotation=30)
    axes[2].grid(axis="y", alpha=0.3)
    fig.suptitle(title or "neurosim-flow estimate: breakdowns")
    atomic_savefig(fig, path)


def shares_plot(shares: Sequence[Mapping], path: Path, title: str = "") -> None:
    """One horizontal 100 % bar per quantity (area, energy, latency), split into its parts.

    ``shares``: rows with ``quantity`` and ``parts`` [(label, fraction)] (fractions sum to 1).
    """
    fig, ax = plt.subplots(figsize=(11, 1.6 + 0.75 * len(shares)), layout="constrained")
    seen = set()
    for i, row in enumerate(shares):
        left = 0.0
        for label, frac in row["parts"]:
            if frac <= 0:
                continue
            ax.barh(i, frac * 100, left=left, color=PART_COLOURS.get(label, "C9"),
                    label=None if label in seen else label, edgecolor="white", linewidth=0.6)
            seen.add(label)
            if frac >= 0.04:
                light = PART_COLOURS.get(label) == "#d9d9d9"
                ax.text(left + frac * 50, i, f"{frac * 100:.0f} %", ha="center", va="center", fontsize=8,
                        color="black" if light else "white")
            left += frac * 100
    ax.set_yticks(range(len(shares)), [r["quantity"] for r in shares])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the total (%)")
    fig.legend(ncol=min(len(seen), 5), loc="outside lower center", fontsize=8, frameon=False)
    ax.set_title(title or "shares of total area, energy and latency")
    atomic_savefig(fig, path)


def training_curve_plot(history: Sequence[Mapping], path: Path, test_accuracy: float | None = None,
                        hw_accuracy: float | None = None, title: str = "") -> None:
    """Training loss and accuracy against the optimiser step, with the final digital test accuracy
    and the hardware-aware accuracy as horizontal references.

    ``history``: rows with ``step``, ``train_loss`` and ``train_accuracy`` (``metrics.json`` of the
    train stage: running means since the start of the run that wrote them).
    """
    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
    if history:
        steps = [int(h["step"]) for h in history]
        # per-interval means (the steps since the previous point) when recorded, else running means
        interval = all("interval_loss" in h for h in history)
        loss_key, acc_key = ("interval_loss", "interval_accuracy") if interval else ("train_loss", "train_accuracy")
        what = "mean over the steps since the previous point" if interval else "running mean since the run started"
        ax_l.plot(steps, [float(h[loss_key]) for h in history], "o-", ms=3, color="C0", label=f"training ({what})")
        ax_a.plot(steps, [100 * float(h[acc_key]) for h in history], "o-", ms=3, color="C0",
                  label=f"training batches ({what})")
        ax_l.legend(fontsize=8, loc="upper right")
    else:
        for ax in (ax_l, ax_a):
            ax.text(0.5, 0.5, "no training history recorded", ha="center", va="center", transform=ax.transAxes)
    if test_accuracy is not None and math.isfinite(test_accuracy):
        ax_a.axhline(100 * test_accuracy, color="C2", ls="--",
                     label=f"test, digital: {100 * test_accuracy:.2f} %")
    if hw_accuracy is not None and math.isfinite(hw_accuracy):
        ax_a.axhline(100 * hw_accuracy, color="C3", ls=":", label=f"test, hardware-aware: {100 * hw_accuracy:.2f} %")
    ax_l.set_xlabel("optimiser step")
    ax_l.set_ylabel("training loss (per sample)")
    ax_l.set_title("training loss")
    ax_a.set_xlabel("optimiser step")
    ax_a.set_ylabel("accuracy (%)")
    ax_a.set_title("accuracy")
    for ax in (ax_l, ax_a):
        ax.grid(alpha=0.3)
    if history or test_accuracy is not None:
        ax_a.legend(fontsize=8, loc="lower right")
    fig.suptitle(title or "training curve")
    atomic_savefig(fig, path)
