"""VGG-8 with the built-in ADC and with a user-defined one given as a measured table.

The user ADC is described the way a chip paper reports one: energy per conversion versus the
ADC resolution and the column current, conversion time and area versus resolution.  It is
plugged in through `neurosim_core.plugins.ComponentLibrary` -- nothing in `neurosim_core` is
edited.  Run::

    python examples/custom_adc.py [--traces tests/data/traces_vgg8] [--set mem_cell=rram ...]

and it prints, for both chips, TOPS/W and the energy of the ADC breakdown bucket.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import DEFAULT_TRACES, hardware_config, load_network  # noqa: E402
from neurosim_core.arch import ActionCost, ComponentModel  # noqa: E402
from neurosim_core.circuits.env import CircuitEnv  # noqa: E402
from neurosim_core.estimate import estimate  # noqa: E402
from neurosim_core.params import resolve  # noqa: E402
from neurosim_core.plugins import AdcSpec, ComponentLibrary  # noqa: E402

# --- the "measured" ADC (illustrative numbers of a 22 nm SAR-type column ADC) ----------------
BITS = np.array([3, 4, 5, 6, 7, 8])
COLUMN_CURRENT_A = np.array([1e-8, 1e-7, 1e-6, 1e-5, 1e-4])
#: energy per conversion (pJ), rows: BITS, columns: COLUMN_CURRENT_A
ENERGY_PJ = np.array([
    [0.020, 0.021, 0.025, 0.040, 0.110],
    [0.032, 0.033, 0.038, 0.056, 0.140],
    [0.050, 0.052, 0.058, 0.080, 0.180],
    [0.085, 0.087, 0.095, 0.120, 0.240],
    [0.150, 0.152, 0.162, 0.190, 0.330],
    [0.270, 0.273, 0.285, 0.320, 0.480],
])
CONVERSION_NS = np.array([2.0, 2.5, 3.0, 3.5, 4.0, 4.5])
AREA_UM2 = np.array([60.0, 95.0, 150.0, 240.0, 380.0, 600.0])
LEAKAGE_NW = np.array([1.0, 1.5, 2.2, 3.2, 4.6, 6.5])


def table_adc(spec: AdcSpec, env: CircuitEnv) -> ComponentModel:
    """The measured ADC as an `arch.ComponentModel` for ``spec.num_adc`` columns."""
    if spec.bits not in BITS:
        raise ValueError(f"table ADC: no measurement for {spec.bits} bits; measured: {', '.join(map(str, BITS))}")
    row = int(np.flatnonzero(BITS == spec.bits)[0])
    log_i = np.log10(COLUMN_CURRENT_A)

    def column_energy(*, column_resistance: np.ndarray) -> ActionCost:
        with np.errstate(divide="ignore"):
            current = spec.read_voltage_v / np.asarray(column_resistance, dtype=float)  # open column: 0 A
        # interpolate in log(current), clamped to the measured range
        x = np.log10(np.clip(current, COLUMN_CURRENT_A[0], COLUMN_CURRENT_A[-1]))
        per_column = np.interp(x, log_i, ENERGY_PJ[row]) * 1e-12
        return ActionCost(energy_j=per_column.sum(axis=-1))

    area = AREA_UM2[row] * 1e-12 * spec.num_adc
    return ComponentModel(
        kind=f"table_adc_{spec.bits}b",
        area_m2=area, height_m=area / spec.width_m, width_m=spec.width_m,
        leakage_w=LEAKAGE_NW[row] * 1e-9 * spec.num_adc,
        actions={"convert": ActionCost(latency_s=CONVERSION_NS[row] * 1e-9, energy_j=0.0)},
        dynamic={"column_energy": column_energy},
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=Path, default=DEFAULT_TRACES)
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="a HardwareConfig field (default: NeuroSim V1.4's default chip)")
    args = parser.parse_args(argv)
    traces, network = load_network(args.traces)  # the VGG-8 traces, network rebuilt from their rows
    p = resolve(hardware_config(args.set))

    results = {
        "built-in ADC": estimate(network, traces, p),
        "table ADC": estimate(network, traces, p, library=ComponentLibrary(adc=table_adc)),
    }
    print(f"{'chip':14s} {'TOPS/W':>10s} {'ADC energy (uJ)':>16s} {'ADC area (mm^2)':>16s} {'latency (ms)':>13s}")
    for name, r in results.items():
        print(f"{name:14s} {r.tops_per_w:10.3f} {r.adc_read_dynamic_energy * 1e6:16.4f} "
              f"{r.area_adc * 1e6:16.4f} {r.read_latency * 1e3:13.4f}")
    return results


if __name__ == "__main__":
    main()
