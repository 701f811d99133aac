"""`Phase`: the latency and dynamic energy of one phase (or action), SI units."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Phase"]


@dataclass(frozen=True)
class Phase:
    """Latency (s) and dynamic energy (J) of one phase."""

    latency: float = 0.0
    energy: float = 0.0

    def __add__(self, other: "Phase") -> "Phase":
        return Phase(self.latency + other.latency, self.energy + other.energy)

    def scale(self, k: float) -> "Phase":
        return Phase(self.latency * k, self.energy * k)
