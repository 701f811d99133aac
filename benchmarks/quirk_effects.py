"""Effect of each reproduced reference defect (`neurosim_core.quirks`) on the default VGG-8 chip.

For every estimator quirk, the default chip (NeuroSim V1.4 defaults, the VGG-8 traces) is
estimated with ``compat="neurosim_v14"`` (every quirk on) and with that one quirk switched off;
the table gives the relative change of the chip figures (off vs on).  The last row is
``compat="corrected"`` (every quirk off).  Prints the README's markdown table.

Usage::

    python benchmarks/quirk_effects.py [--traces tests/data/traces_vgg8] [--set mem_cell=rram ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import DEFAULT_TRACES, hardware_config, load_network  # noqa: E402
from neurosim_core import quirks  # noqa: E402
from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.params import resolve  # noqa: E402

#: (column title, ChipResult attribute)
FIGURES = (("area", "area"), ("latency", "read_latency"), ("dyn. energy", "read_dynamic_energy"),
           ("leakage", "leakage_energy"), ("TOPS/W", "tops_per_w"))


def _without(name: str):
    """`quirks.applies` with the quirk ``name`` switched off."""
    original = quirks.applies

    def applies(quirk: str, compat: str) -> bool:
        return False if quirk == name else original(quirk, compat)

    return mock.patch.object(quirks, "applies", applies)


def _change(new: float, base: float) -> str:
    if base == new:
        return "0"
    return f"{(new - base) / base * 100:+.3f} %"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=Path, default=DEFAULT_TRACES)
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    args = parser.parse_args(argv)
    traces, network = load_network(args.traces)
    cfg = hardware_config(args.set)
    base = estimate(network, traces, resolve(cfg.replace(compat="neurosim_v14")))

    lines = ["| quirk | what the reference does (corrected: what we do instead) | "
             + " | ".join(title for title, _ in FIGURES) + " |",
             "|---|---|" + "---|" * len(FIGURES)]
    for q in quirks.active("neurosim_v14", scope="estimator"):
        with _without(q.name):
            result = estimate(network, traces, resolve(cfg.replace(compat="neurosim_v14")))
        cells = [_change(getattr(result, attr), getattr(base, attr)) for _, attr in FIGURES]
        lines.append(f"| `{q.name}` | {q.description} | " + " | ".join(cells) + " |")
    corrected = estimate(network, traces, resolve(cfg.replace(compat="corrected")))
    cells = [_change(getattr(corrected, attr), getattr(base, attr)) for _, attr in FIGURES]
    lines.append("| **all (`compat: corrected`)** | every quirk off | " + " | ".join(f"**{c}**" for c in cells) + " |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
