"""DNN+NeuroSim V2.1's multilevel sense-amp ADC, as a component (area, leakage, per-conversion cost).

V2.1 (and its V2 paper, TCAD 2021, Sec. III-A) prices its flash-like multilevel sense amp from
SPICE fits that differ from the V1.4 model of the inference estimator: ``level_output - 1``
comparators per ADC, each ``48`` minimum nMOS + ``24`` minimum pMOS (current mode) or ``52 + 60``
(voltage mode); a conversion's sensing time is the slowest reference comparison, fitted per node
as ``T_max(R) * poly(R_ref / R)`` and clamped to 1..10 ns (1 ns at 22 nm and below and for HP);
its power per column is ``a * (levels - 1) uW + b * exp(c * log10 R)`` per node, roadmap (HP or
LP) and sense mode (current or voltage; V2.1 MultilevelSenseAmp power fits).
The references are the parallel-read ladder ``R_on/N + (i+1) * R_off/(N * levels)``.

The comparison ``mid <= ratio <= up`` of the fit is a chained C++ comparison that is always
true (quirk ``v21_mlsa_chained_comparison``): ratios in (0.9, 1.1) take the upper fit instead
of ``T_max``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import formula, quirks
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE

__all__ = ["MlsaV21Spec", "MlsaV21Model", "build_mlsa_v21"]


class LatencyFit(NamedTuple):
    """T_max = (a*ln(R/1k) + b) ns; T/T_max = low cubic (ratio <= 0.9) or high quartic (ratio >= 1.1)."""

    a: float
    b: float
    low: tuple[float, float, float, float]  # x^3, x^2, x, 1
    high: tuple[float, float, float, float, float]  # x^4 .. 1


class PowerFit(NamedTuple):
    """P = per_level_uw * (levels-1) * 1e-6 + k * exp(e * log10(R)) (W)."""

    per_level_uw: float
    k: float
    e: float


_LATENCY_LP = {
    130: LatencyFit(0.2679, 0.0478, (3.915, -5.3996, 2.4653, 0.3856), (0.0004, -0.0087, 0.0742, -0.2725, 1.2211)),
    90: LatencyFit(0.0586, 1.41, (3.726, -5.651, 2.8249, 0.3574), (0.0000008, -0.00007, 0.0017, -0.0188, 0.9835)),
    65: LatencyFit(0.1239, 0.6642, (1.3899, -2.6913, 2.0483, 0.3202), (0.0036, -0.0363, 0.1043, -0.0346, 1.0512)),
    45: LatencyFit(0.0714, 0.7651, (3.7949, -5.6685, 2.6492, 0.4807), (0.000001, -0.00006, 0.0001, -0.0171, 1.0057)),
    32: LatencyFit(0.0714, 0.7651, (3.7949, -5.6685, 2.6492, 0.4807), (0.000001, -0.00006, 0.0001, -0.0171, 1.0057)),
}

#: (current mode?, roadmap) -> node -> fit; nodes below 7 use the 7 nm fit
_POWER = {
    (True, "hp"): {130: PowerFit(19.898, 0.17452, -2.367), 90: PowerFit(13.09, 0.14900, -2.345),
                   65: PowerFit(9.9579, 0.1083, -2.321), 45: PowerFit(7.7017, 0.0754, -2.296),
                   32: PowerFit(3.9648, 0.079, -2.313), 22: PowerFit(1.8939, 0.073, -2.311),
                   14: PowerFit(1.2, 0.0584, -2.311), 10: PowerFit(0.8, 0.0318, -2.311), 7: PowerFit(0.5, 0.0210, -2.311)},
    (True, "lstp"): {130: PowerFit(18.09, 0.1380, -2.303), 90: PowerFit(12.612, 0.1023, -2.303),
                     65: PowerFit(8.4147, 0.0972, -2.303), 45: PowerFit(6.3162, 0.075, -2.303),
                     32: PowerFit(3.0875, 0.0649, -2.297), 22: PowerFit(1.7, 0.0631, -2.303),
                     14: PowerFit(1.0, 0.0508, -2.303), 10: PowerFit(0.55, 0.0315, -2.303),
                     7: PowerFit(0.35, 0.0235, -2.303)},
    (False, "hp"): {130: PowerFit(27.84, 0.207452, -2.367), 90: PowerFit(22.2, 0.164900, -2.345),
                    65: PowerFit(13.058, 0.128483, -2.321), 45: PowerFit(8.162, 0.097754, -2.296),
                    32: PowerFit(4.76, 0.083709, -2.313), 22: PowerFit(2.373, 0.084273, -2.311),
                    14: PowerFit(1.467, 0.060584, -2.311), 10: PowerFit(0.9077, 0.049418, -2.311),
                    7: PowerFit(0.5614, 0.040310, -2.311)},
    (False, "lstp"): {130: PowerFit(23.4, 0.169380, -2.303), 90: PowerFit(14.42, 0.144323, -2.303),
                      65: PowerFit(10.18, 0.121272, -2.303), 45: PowerFit(7.062, 0.100225, -2.303),
                      32: PowerFit(3.692, 0.079449, -2.297), 22: PowerFit(1.866, 0.072341, -2.303),
                      14: PowerFit(1.126, 0.061085, -2.303), 10: PowerFit(0.6917, 0.051580, -2.303),
                      7: PowerFit(0.4211, 0.043555, -2.303)},
}


@dataclass(frozen=True, kw_only=True)
class MlsaV21Spec:
    num_adc: int  # sense amps (one per column group)
    level_output: int
    current_mode: bool = True
    resistance_on_ohm: float
    resistance_off_ohm: float
    ladder_rows: int  # N of the reference ladder (V2.1: the chip's numRowSubArray)
    read_voltage_v: float
    node_nm: int
    roadmap: str = "lstp"
    temperature_k: int = 300


@dataclass(frozen=True)
class MlsaV21Model:
    area_m2: float
    leakage_w: float
    spec: MlsaV21Spec
    rref: np.ndarray
    compat: str

    def sensing_time(self, column_resistance) -> float:
        """Slowest column's sensing time of one conversion (s), clamped to 1..10 ns."""
        return float(self.sensing_times(np.atleast_2d(np.asarray(column_resistance, dtype=np.float64)).reshape(1, -1))[0])

    def sensing_times(self, column_resistance) -> np.ndarray:
        """Per vector (rows of a 2-D ``column_resistance``): the slowest column's sensing time (s)."""
        r_all = np.atleast_2d(np.asarray(column_resistance, dtype=np.float64)) * 0.5 / self.spec.read_voltage_v
        fit = _LATENCY_LP.get(self.spec.node_nm)
        refs = self.rref[1:]  # the fit loops over references 1 .. levels-2
        out = np.empty(r_all.shape[0])
        chained = quirks.applies("v21_mlsa_chained_comparison", self.compat)
        for start in range(0, r_all.shape[0], 256):
            r = r_all[start:start + 256]
            open_col = np.isinf(r) | (r == 0)
            if self.spec.roadmap == "hp" or fit is None:
                t = np.where(open_col, 0.0, 1e-9)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    t_max = (fit.a * np.log(r / 1000) + fit.b) * 1e-9
                    ratio = refs[None, None, :] / r[:, :, None]
                low = np.polyval(fit.low, ratio)
                high = np.polyval(fit.high, ratio)
                mid = np.where(ratio <= 0.9, low, high) if chained else \
                    np.where(ratio <= 0.9, low, np.where(ratio >= 1.1, high, 1.0))
                per_ref = np.where((ratio >= 20) | (ratio <= 0.05), 1e-9, t_max[:, :, None] * mid)
                t = per_ref.max(axis=2, initial=0.0) if refs.size else np.zeros_like(r)
                t = np.where(open_col, 0.0, t)
            out[start:start + 256] = np.clip(t.max(axis=1, initial=0.0), 1e-9, 10e-9)
        return out

    def column_power(self, column_resistance) -> np.ndarray:
        r = np.asarray(column_resistance, dtype=np.float64) * 0.5 / self.spec.read_voltage_v
        s = self.spec
        # V2.1 has a table per sense mode and roadmap; any non-HP roadmap takes its LP (lstp) table
        table = _POWER[(s.current_mode, "hp" if s.roadmap == "hp" else "lstp")]
        fit = table.get(s.node_nm) or table[7 if s.node_nm < 7 else min(table, key=lambda n: abs(n - s.node_nm))]
        with np.errstate(divide="ignore"):
            p = fit.per_level_uw * (s.level_output - 1) * 1e-6 + fit.k * np.exp(fit.e * np.log10(r))
        p = np.where(np.isinf(r), 1e-6, np.where(r == 0, 0.0, p))
        return p * (1 + 1.3e-3 * (s.temperature_k - 300))

    def convert(self, column_resistance, conversions: float):
        """(latency, energy) of ``conversions`` sequential conversions of every column given."""
        t = self.sensing_time(column_resistance)
        latency = (t if self.spec.current_mode else 1e-9) * conversions
        per = self.column_power(column_resistance) * (t if self.spec.current_mode else 1e-9)
        return latency, float(np.maximum(per, 0).sum() * conversions)


def build_mlsa_v21(*, spec: MlsaV21Spec, tech, compat: str) -> MlsaV21Model:
    f = tech.feature_size
    w_n = MIN_NMOS_SIZE * f
    w_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
    _, h_n, wd_n = formula.gate_area(INV, 1, w_n, 0, f * MAX_TRANSISTOR_HEIGHT, tech)
    _, h_p, wd_p = formula.gate_area(INV, 1, 0, w_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    n_n, n_p = (48, 24) if spec.current_mode else (52, 60)
    area = (h_n * wd_n * n_n + h_p * wd_p * n_p) * (spec.level_output - 1) * spec.num_adc
    i = np.arange(spec.level_output - 1)
    rref = spec.resistance_on_ohm / spec.ladder_rows + (i + 1) * (spec.resistance_off_ohm / spec.ladder_rows) / spec.level_output
    return MlsaV21Model(area_m2=float(area), leakage_w=0.0, spec=spec, rref=rref, compat=compat)


def v21_adc_builder(hw):
    """An ADC builder for `neurosim_core.plugins.ComponentLibrary` that prices the chip's column ADCs
    with V2.1's multilevel sense amp (area, per-vector sensing time and column power).

    The plug-in contract has one conversion latency; V2.1's depends on the columns read.  It is
    evaluated here on a column with half of its rows on at the mean cell conductance (the sensing
    time is clamped to >= 1 ns and is exactly 1 ns at 22 nm and below, where it does not depend on
    the data).  The energy of each vector's conversion uses that vector's own sensing time.
    """
    from ..arch import ActionCost, ComponentModel

    def build(spec, env):
        mlsa = build_mlsa_v21(spec=MlsaV21Spec(
            num_adc=spec.num_adc, level_output=spec.levels, current_mode=hw.current_mode,
            resistance_on_ohm=hw.resistance_on_ohm, resistance_off_ohm=hw.resistance_off_ohm,
            ladder_rows=hw.num_row_subarray, read_voltage_v=spec.read_voltage_v, node_nm=hw.tech_node_nm,
            roadmap=hw.roadmap, temperature_k=env.temperature_k), tech=env.tech, compat=env.compat)
        g_mean = (1 / hw.resistance_on_ohm + 1 / hw.resistance_off_ohm) / 2
        typical = np.full(1, 1 / (g_mean * max(hw.num_row_subarray // 2, 1)))
        t_typical = mlsa.sensing_time(typical) if hw.current_mode else 1e-9

        def column_energy(*, column_resistance):
            r = np.atleast_2d(np.asarray(column_resistance, dtype=np.float64))
            t = mlsa.sensing_times(r) if hw.current_mode else np.full(r.shape[0], 1e-9)
            power = np.maximum(mlsa.column_power(r), 0.0).sum(axis=-1)
            return ActionCost(energy_j=power * t)

        return ComponentModel(kind=f"mlsa_v21_{spec.levels}", area_m2=mlsa.area_m2,
                              height_m=mlsa.area_m2 / spec.width_m, width_m=spec.width_m, leakage_w=0.0,
                              actions={"convert": ActionCost(latency_s=t_typical, energy_j=0.0)},
                              dynamic={"column_energy": column_energy})

    return build
