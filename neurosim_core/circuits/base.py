"""Common state of every circuit model: geometry, timing, energy and leakage, in SI units."""
from __future__ import annotations

import math

from ..constants import AreaModify


class Component:
    """Base of all circuit models.

    Subclasses set ``height``/``width``/``area`` (m, m, m^2) in ``calculate_area``, ``read_latency``
    / ``write_latency`` (s) in ``calculate_latency`` and ``read_dynamic_energy`` /
    ``write_dynamic_energy`` (J) and ``leakage`` (W) in ``calculate_power``.
    """

    def __init__(self, p, tech, cell=None):
        self.p = p
        self.tech = tech
        self.cell = cell
        self.initialized = False
        self.height = 0.0
        self.width = 0.0
        self.area = 0.0
        self.empty_area = 0.0
        self.used_area = 0.0
        self.total_area = 0.0
        self.read_latency = 0.0
        self.write_latency = 0.0
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.leakage = 0.0
        self.read_power = 0.0
        self.write_power = 0.0
        self.new_height = 0.0
        self.new_width = 0.0

    # Layout post-processing shared by all modules (NeuroSim "MagicLayout"/"OverrideLayout").
    def magic_layout(self) -> None:
        """Fold to the requested height (or width) keeping the area."""
        if self.new_height:
            self.height = self.new_height
            self.width = self.area / self.height
        elif self.new_width:
            self.width = self.new_width
            self.height = self.area / self.width

    def override_layout(self) -> None:
        """Force the requested height and width; the area follows."""
        self.height = self.new_height
        self.width = self.new_width
        self.area = self.height * self.width

    def apply_area_modify(self, option: AreaModify, new_height: float = 0.0, new_width: float = 0.0) -> None:
        self.new_height, self.new_width = new_height, new_width
        if option == AreaModify.MAGIC:
            self.magic_layout()
        elif option == AreaModify.OVERRIDE:
            self.override_layout()

    def summary(self) -> dict[str, float]:
        return {
            "area_m2": self.area,
            "height_m": self.height,
            "width_m": self.width,
            "read_latency_s": self.read_latency,
            "read_dynamic_energy_j": self.read_dynamic_energy,
            "leakage_w": self.leakage,
        }


def is_finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
