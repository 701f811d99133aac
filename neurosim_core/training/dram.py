"""Off-chip DRAM as a component: fixed bandwidth and energy per bit (DNN+NeuroSim V2.1, DRAM model).

V2.1 models the main memory of an on-chip-training accelerator by two numbers per technology
(HBM2: 15.2 Tbit/s, 3.9 pJ/bit; GDDR5: 4.288 Tbit/s, 14 pJ/bit -- the DNN+NeuroSim V2 paper, TCAD
2021, Sec. III-D, after JEDEC-class parts).  A transfer of ``n`` bits costs ``n / bandwidth``
seconds and ``n * energy_per_bit`` joules; it has no area and no leakage on the chip.

What a training step moves, per image and layer (V2.1's accounting; see `training_traffic_bits`):
the layer's IFM (``H*W*numBitInput`` bits -- the channel count is *not* counted, a V2.1 defect kept
under ``neurosim_v21``, quirk ``v21_dram_ifm_ignores_channels``) twice in each of FW, AG (layers
after the first) and WG, plus the layer's weight gradient (``C_in*K_H*K_W*C_out*outPrecision`` bits)
out to DRAM and back again before the weight update.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["DramSpec", "DramModel", "build_dram", "DRAM_KINDS"]

DramKind = Literal["hbm2", "gddr5"]

#: (bandwidth in bit/s, energy per bit in J)
DRAM_KINDS: dict[str, tuple[float, float]] = {
    "gddr5": (4.288e12, 14e-12),
    "hbm2": (15.2e12, 3.9e-12),
}


@dataclass(frozen=True, kw_only=True)
class DramSpec:
    kind: DramKind = "hbm2"


@dataclass(frozen=True)
class DramModel:
    """Off-chip memory: no chip area or leakage; one action, ``transfer`` (bits, vectorised)."""

    kind: str
    bandwidth_bit_per_s: float
    energy_per_bit_j: float
    area_m2: float = 0.0
    leakage_w: float = 0.0

    def transfer(self, bits):
        """(latency in s, energy in J) of moving ``bits`` (scalar or array) to or from DRAM."""
        b = np.asarray(bits, dtype=np.float64)
        return b / self.bandwidth_bit_per_s, b * self.energy_per_bit_j


def build_dram(*, spec: DramSpec) -> DramModel:
    if spec.kind not in DRAM_KINDS:
        raise ValueError(f"dram kind {spec.kind!r} is not allowed; allowed: {', '.join(DRAM_KINDS)}")
    bw, e = DRAM_KINDS[spec.kind]
    return DramModel(kind=spec.kind, bandwidth_bit_per_s=bw, energy_per_bit_j=e)


@dataclass(frozen=True)
class LayerTraffic:
    """DRAM bits one image moves for one layer, per phase (V2.1's accounting)."""

    ifm_bits: float  # one activation transfer
    fw_bits: float  # FW: IFM out and back
    ag_bits: float  # AG: 0 for the first layer
    wg_bits: float  # WG: activations and errors in, plus the weight gradient out and back
    grad_bits: float  # one weight-gradient transfer
    breakdown_bits: float  # what V2.1 prints as the layer's "DRAM data transfer" line


def training_traffic_bits(*, ifm_h: int, ifm_w: int, ifm_c: int, k_h: int, k_w: int, c_out: int,
                          input_bits: int, grad_bits_per_weight: int, first_layer: bool,
                          compat: str) -> LayerTraffic:
    """DRAM traffic of one image through one layer in training (DNN+NeuroSim V2, Sec. III-D).

    The activations of every layer go to DRAM in FW and come back for AG and WG; the weight
    gradient of every image goes out and comes back to be accumulated over the batch.  V2.1
    counts ``H*W*numBitInput`` bits per activation transfer (no channels,
    ``v21_dram_ifm_ignores_channels``) and prints a breakdown line that counts 36x (24x) that
    transfer (``v21_dram_breakdown_line``); the consistent model counts ``H*W*C*numBitInput`` and
    prints what it adds to the totals.
    """
    from .. import quirks

    ifm = float(ifm_h * ifm_w * input_bits)
    if not quirks.applies("v21_dram_ifm_ignores_channels", compat):
        ifm *= ifm_c
    grad = float(ifm_c * k_h * k_w * c_out * grad_bits_per_weight)
    fw = 2 * ifm
    ag = 0.0 if first_layer else 2 * ifm
    wg = 2 * ifm + 2 * grad
    if quirks.applies("v21_dram_breakdown_line", compat):
        shown = ifm * 6 * (4 if first_layer else 6) + 2 * grad
    else:
        shown = fw + ag + wg
    return LayerTraffic(ifm_bits=ifm, fw_bits=fw, ag_bits=ag, wg_bits=wg, grad_bits=grad, breakdown_bits=shown)
