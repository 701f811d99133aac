"""GAA special standard-cell layout factors (2 nm and 1 nm nodes), shared by the gate-level builders.

NeuroSim V1.4 models the 2 nm / 1 nm (gate-all-around) standard cells with a "special layout": a
gate-capacitance factor and nMOS / pMOS sheet-width tunings per cell type (DNN+NeuroSim V1.4 manual,
technology scaling to 1 nm; `formula.gate_capacitance_gaa` applies them).
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["GaaFactors", "GAA_INV", "GAA_NAND2"]


class GaaFactors(NamedTuple):
    """GAA special standard-cell layout (2 nm, 1 nm): gate-capacitance factor and sheet-width tunings."""

    gate: float
    n_tuning: float
    p_tuning: float


# per node in nm
GAA_INV = {
    2: GaaFactors(gate=1.0 / 2.0, n_tuning=4.5 / 15.0, p_tuning=4.5 / 15.0),
    1: GaaFactors(gate=10.5 / 16.0, n_tuning=4.5 / 10.0, p_tuning=4.5 / 10.0),
}
GAA_NAND2 = {
    2: GaaFactors(gate=1.0, n_tuning=22.0 / 15.0, p_tuning=8.0 / 15.0),
    1: GaaFactors(gate=1.0, n_tuning=23.0 / 15.0, p_tuning=7.0 / 15.0),
}
