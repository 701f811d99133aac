"""What every circuit builder needs besides its own spec: technology and operating conditions."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..tech import Technology

__all__ = ["AdcSpec", "CircuitEnv"]


@dataclass(frozen=True, kw_only=True)
class CircuitEnv:
    """Technology, temperature, clock and the reference-compatibility mode (`neurosim_core.quirks`)."""

    tech: Technology
    temperature_k: int = 300
    clk_freq_hz: float = 1e9
    synchronous: bool = True
    compat: str = "neurosim_v14"

    @classmethod
    def of(cls, p, tech: Technology, clk_freq_hz: float | None = None) -> "CircuitEnv":
        """The environment of resolved parameters ``p`` (optionally at another clock)."""
        cfg = p.cfg
        return cls(tech=tech, temperature_k=cfg.temperature_k,
                   clk_freq_hz=cfg.clk_freq_hz if clk_freq_hz is None else clk_freq_hz,
                   synchronous=cfg.synchronous, compat=p.compat)


@dataclass(frozen=True, kw_only=True)
class AdcSpec:
    """What an ADC builder (the subarray's ``adc`` role, `neurosim_core.plugins`) is asked for (SI)."""

    num_adc: int  # ADCs of one subarray (columns / columns muxed per ADC)
    levels: int  # output levels (2**bits)
    column_cap_f: float  # capacitance of one column (bit line)
    read_voltage_v: float  # column read voltage
    width_m: float  # width of the array the ADC row sits under
    parallel_read: bool  # rows read in parallel (True) or one at a time

    @property
    def bits(self) -> int:
        return int(round(math.log2(self.levels)))
