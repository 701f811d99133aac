"""Device-level formulas: gate capacitance and layout area, drain capacitance, leakage,
on-resistance, transconductance and the Horowitz delay model.

Model: NeuroSim V1.4 ``formula.cpp`` model (itself after CACTI / NVSim): standard-cell layout
with a fixed cell height and transistor folding; at FinFET nodes (14..3 nm) widths are counted
in fins of pitch 2F and at GAA nodes (2, 1 nm) in nanosheet stacks, with the per-node IRDS
cell heights, contacted poly pitches and P/N gaps of ``constants.py``.  Junction capacitance
follows the BSIM4 area/perimeter split at planar nodes and only the bottom (area) term at
FinFET/GAA nodes.  The Horowitz delay uses CACTI's fixed beta = 0.5.

Fidelity notes (kept on purpose, they change numbers): the model scales widths to fin counts
as ``w * (1 / 2F)`` in some formulas and ``w / 2F`` in others, which differ in the last bit and
therefore in ``ceil``; fin (and, in the capacitance formulas, sheet) folding counts use integer
division; the FinFET
transconductance uses ``2 * fin height + fin width`` as the effective width.
Reference defect behind a switch: the NMOS drain sidewall of an inverter uses the PMOS
folding count (``inverter_nmos_sidewall_pmos_folds``; planar nodes only).
Fixed reference crash: a cell height too small to hold one fin gives an integer division by
zero in the reference; here it raises ``ValueError``.

All widths and heights are in metres; capacitances in F, resistances in ohm, currents in A.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from . import constants as c
from . import quirks
from .tech import Technology

__all__ = [
    "gate_cap",
    "gate_area",
    "gate_capacitance",
    "gate_capacitance_gaa",
    "drain_cap",
    "gate_leakage",
    "on_resistance",
    "on_resistance_normal",
    "transconductance",
    "horowitz",
    "pass_gate_area",
    "nonlinear_resistance",
    "enlarge_size",
]


class _FinRules(NamedTuple):
    """Standard-cell layout rules of a FinFET/GAA node, in units of F."""

    cell_height: float  # standard-cell height replacing MAX_TRANSISTOR_HEIGHT_FINFET
    cpp: float  # contacted poly pitch
    poly_width: float
    gap_p_n: float  # gap between P and N diffusions
    outer_height: float  # cell region outside the diffusions


_FIN_RULES = {
    14: _FinRules(c.MAX_TRANSISTOR_HEIGHT_14NM, c.CPP_14NM, c.POLY_WIDTH_14NM,
                  c.MIN_GAP_BET_P_AND_N_DIFFS_14NM, c.OUTER_HEIGHT_REGION_14NM),
    10: _FinRules(c.MAX_TRANSISTOR_HEIGHT_10NM, c.CPP_10NM, c.POLY_WIDTH_10NM,
                  c.MIN_GAP_BET_P_AND_N_DIFFS_10NM, c.OUTER_HEIGHT_REGION_10NM),
    7: _FinRules(c.MAX_TRANSISTOR_HEIGHT_7NM, c.CPP_7NM, c.POLY_WIDTH_7NM,
                 c.MIN_GAP_BET_P_AND_N_DIFFS_7NM, c.OUTER_HEIGHT_REGION_7NM),
    5: _FinRules(c.MAX_TRANSISTOR_HEIGHT_5NM, c.CPP_5NM, c.POLY_WIDTH_5NM,
                 c.MIN_GAP_BET_P_AND_N_DIFFS_5NM, c.OUTER_HEIGHT_REGION_5NM),
    3: _FinRules(c.MAX_TRANSISTOR_HEIGHT_3NM, c.CPP_3NM, c.POLY_WIDTH_3NM,
                 c.MIN_GAP_BET_P_AND_N_DIFFS_3NM, c.OUTER_HEIGHT_REGION_3NM),
    2: _FinRules(c.MAX_TRANSISTOR_HEIGHT_2NM, c.CPP_2NM, c.POLY_WIDTH_2NM,
                 c.MIN_GAP_BET_P_AND_N_DIFFS_2NM, c.OUTER_HEIGHT_REGION_2NM),
    1: _FinRules(c.MAX_TRANSISTOR_HEIGHT_1NM, c.CPP_1NM, c.POLY_WIDTH_1NM,
                 c.MIN_GAP_BET_P_AND_N_DIFFS_1NM, c.OUTER_HEIGHT_REGION_1NM),
}

_CPP_PLANAR = c.POLY_WIDTH + c.MIN_GAP_BET_GATE_POLY
# poly extension + half field-poly gap, on both cell edges (F)
_EDGE_MARGIN = (c.MIN_POLY_EXT_DIFF + c.MIN_GAP_BET_FIELD_POLY / 2) * 2


# --- small helpers ------------------------------------------------------------------------

def _node(tech: Technology) -> int:
    return tech.feature_size_in_nano


def _is_planar(tech: Technology) -> bool:
    return _node(tech) >= 22


def _is_gaa(tech: Technology) -> bool:
    return _node(tech) <= 2


def _fins_scaled(width: float, tech: Technology) -> float:
    """Width in fin units as ``width *= 1/(2F)`` (gate cap, capacitance, leakage)."""
    return width * (1 / (2 * tech.feature_size))


def _fins_divided(width: float, tech: Technology) -> float:
    """Width in fin units as ``width / (2F)`` (gate area, on-resistance, gm, pass gate)."""
    return width / (2 * tech.feature_size)


def _device_width(fins: float, tech: Technology) -> float:
    """Effective electrical width of ``ceil(fins)`` fins (FinFET) or sheet stacks (GAA)."""
    if _is_gaa(tech):
        return math.ceil(fins) * tech.effective_width * tech.max_sheet_num / tech.max_fin_per_gaa
    return math.ceil(fins) * tech.effective_width


def _temperature_index(temperature: float) -> int:
    index = int(temperature) - 300
    if not 0 <= index <= 100:
        raise ValueError(f"temperature {temperature} K is out of range; allowed: 300..400 K")
    return index


def _finfet_cell_height(height: float, tech: Technology) -> float:
    """Planar cell height -> the node's FinFET/GAA standard-cell height."""
    height *= c.MAX_TRANSISTOR_HEIGHT_FINFET / c.MAX_TRANSISTOR_HEIGHT
    return height * (_FIN_RULES[_node(tech)].cell_height / c.MAX_TRANSISTOR_HEIGHT_FINFET)


def _ratio(width_pmos: float, width_nmos: float) -> float:
    total = width_pmos + width_nmos
    return width_pmos / total if total else math.nan


def _c_div(a: int, b: int) -> int:
    """C integer division (truncates toward zero)."""
    if b == 0:
        raise ValueError("cell height too small to hold one fin/nanosheet (fold count divides by zero)")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _c_rem2(a: int) -> int:
    """C ``a % 2`` (sign follows the dividend)."""
    return int(math.fmod(a, 2))


def _fins_fitting(height: float, tech: Technology) -> int:
    """Fins (or sheet stacks) per device that fit in a non-standard cell height (per side)."""
    r = _FIN_RULES[_node(tech)]
    fs = tech.feature_size
    usable = (height - r.gap_p_n * fs - r.outer_height * fs) + tech.pitch_fin
    return int(math.floor(usable / 2.0 / (tech.width_fin + tech.pitch_fin)))


def _split_fins(per_side: int, ratio: float) -> tuple[int, int]:
    """Share the 2 * per_side fin tracks of a cell between PMOS and NMOS -> (max P, max N)."""
    if ratio == 0:
        return 0, 2 * per_side
    if ratio == 1:
        return 2 * per_side, 0
    if math.isnan(ratio):  # no transistor at all: the limits are never used
        return per_side, per_side
    tracks = 2 * per_side
    if ratio > 0.5:
        n = int(tracks * (1 - ratio))
        p = int(tracks - n)
    else:
        p = int(tracks * ratio)
        n = int(tracks - p)
    if p == 0:
        p, n = 1, 2 * per_side - 1
    if n == 0:
        n, p = 1, 2 * per_side - 1
    return p, n


def _split_sheets(per_side: float, ratio: float, tech: Technology) -> tuple[float, float]:
    """GAA: (max P, max N) sheet stacks; a mixed gate gets ``max_fin_per_gaa`` each."""
    if ratio == 0:
        return 0, 2 * per_side
    if ratio == 1:
        return 2 * per_side, 0
    return tech.max_fin_per_gaa, tech.max_fin_per_gaa


def _fin_limits(height: float, standard: bool, ratio: float, tech: Technology,
                integer_sheets: bool) -> tuple[float, float]:
    """(max PMOS, max NMOS) fins (FinFET) or sheet stacks (GAA) before folding."""
    if _is_gaa(tech):
        per_side = tech.max_fin_per_gaa if standard else _fins_fitting(height, tech)
        if integer_sheets:
            per_side = int(per_side)
        p, n = _split_sheets(per_side, ratio, tech)
        return (int(p), int(n)) if integer_sheets else (p, n)
    per_side = int(tech.max_fin_num) if standard else _fins_fitting(height, tech)
    return _split_fins(per_side, ratio)


def _is_standard_height(height: float, tech: Technology) -> bool:
    return height == tech.feature_size * c.MAX_TRANSISTOR_HEIGHT


# --- gate capacitance ---------------------------------------------------------------------

def gate_cap(width: float, tech: Technology) -> float:
    """Gate capacitance (F) of one transistor of the given width (m)."""
    if _is_planar(tech):
        width_eff = width
    else:
        width_eff = _device_width(_fins_scaled(width, tech), tech)
    return ((tech.cap_ideal_gate + tech.cap_overlap + tech.cap_fringe) * width_eff
            + tech.phy_gate_length * tech.cap_polywire)


# --- layout area --------------------------------------------------------------------------

def _planar_max_widths(height: float, ratio: float, fs: float) -> tuple[float, float]:
    """(max PMOS, max NMOS) width (m) in a planar cell of the given height."""
    if ratio == 0:
        return 0.0, height - _EDGE_MARGIN * fs
    if ratio == 1:
        return height - _EDGE_MARGIN * fs, 0.0
    max_p = ratio * (height - c.MIN_GAP_BET_P_AND_N_DIFFS * fs - _EDGE_MARGIN * fs)
    return max_p, max_p / ratio * (1 - ratio)


def _planar_region(width: float, max_width: float, cpp: float, fs: float) -> tuple[float, int]:
    """(region width, folds) of one planar transistor."""
    if width <= 0:
        return 0.0, 1
    if width <= max_width:
        return 2 * cpp * fs, 1
    folds = int(math.ceil(width / max_width))
    return (folds + 1) * cpp * fs, folds


def _fin_region(width_fins: float, max_fins: float, cpp: float, fs: float,
                integer_division: bool) -> tuple[float, int]:
    """(region width, folds) of one FinFET/GAA transistor of ``width_fins`` fins."""
    count = int(math.ceil(width_fins))
    if count <= 0:
        return 0.0, 1
    if count <= max_fins:
        return 2 * cpp * fs, 1
    if integer_division:
        folds = _c_div(count, int(max_fins))
    else:
        if max_fins == 0:
            raise ValueError("cell height too small to hold one nanosheet (fold count divides by zero)")
        folds = int(math.ceil(count / max_fins))
    return (folds + 1) * cpp * fs, folds


def gate_area(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
              height_transistor_region: float, tech: Technology) -> tuple[float, float, float]:
    """Layout (area, height, width) of a logic gate with a fixed standard-cell height."""
    fs = tech.feature_size
    height = height_transistor_region
    standard = _is_standard_height(height, tech)
    if not _is_planar(tech):
        width_nmos = _fins_divided(width_nmos, tech)
        width_pmos = _fins_divided(width_pmos, tech)
        height = _finfet_cell_height(height, tech)
    ratio = _ratio(width_pmos, width_nmos)

    if _is_planar(tech):
        cpp = _CPP_PLANAR
        max_p, max_n = _planar_max_widths(height, ratio, fs)
        region_p, folds_p = _planar_region(width_pmos, max_p, cpp, fs)
        region_n, folds_n = _planar_region(width_nmos, max_n, cpp, fs)
    else:
        cpp = _FIN_RULES[_node(tech)].cpp
        max_p, max_n = _fin_limits(height, standard, ratio, tech, integer_sheets=False)
        integer_division = not _is_gaa(tech)
        region_p, folds_p = _fin_region(width_pmos, max_p, cpp, fs, integer_division)
        region_n, folds_n = _fin_region(width_nmos, max_n, cpp, fs, integer_division)

    if gate_type == c.INV:
        width_p, width_n = region_p, region_n
    elif gate_type in (c.NOR, c.NAND):
        if folds_p == 1 and folds_n == 1:  # neighbouring devices share source/drain
            shared = (num_input - 1) * fs * cpp
            width_p = region_p * num_input - shared
            width_n = region_n * num_input - shared
        else:
            width_p = region_p * num_input
            width_n = region_n * num_input
    else:
        width_p = width_n = 0.0
    width = max(width_n, width_p)
    return width * height, height, width


def pass_gate_area(width_nmos: float, width_pmos: float, tech: Technology,
                   num_fold: int) -> tuple[float, float, float]:
    """Layout (area, height, width) of a transmission gate folded ``num_fold`` times
    (the cell height follows the devices, unlike `gate_area`)."""
    fs = tech.feature_size
    if _is_planar(tech):
        width = (num_fold + 1) * _CPP_PLANAR * fs
        height = (width_pmos / num_fold + width_nmos / num_fold + c.MIN_GAP_BET_P_AND_N_DIFFS * fs
                  + _EDGE_MARGIN * fs)
        return width * height, height, width
    r = _FIN_RULES[_node(tech)]
    width = (num_fold + 1) * r.cpp * fs
    fins_p = int(math.ceil(int(math.ceil(_fins_divided(width_pmos, tech))) / num_fold))
    fins_n = int(math.ceil(int(math.ceil(_fins_divided(width_nmos, tech))) / num_fold))
    region_p = (fins_p - 1) * tech.pitch_fin + 2 * tech.width_fin / 2
    region_n = (fins_n - 1) * tech.pitch_fin + 2 * tech.width_fin / 2
    outer_edges = 1 if _is_gaa(tech) else 2
    height = region_p + region_n + r.gap_p_n * fs + r.outer_height * outer_edges * fs
    return width * height, height, width


# --- output (drain) capacitance -----------------------------------------------------------

class _Drain(NamedTuple):
    unit_width_drain: float  # m
    unit_width_source: float  # m
    height: float  # m
    folds: int


_NO_DRAIN = _Drain(0.0, 0.0, 0.0, 1)


def _planar_drain(width: float, max_width: float, fs: float) -> _Drain:
    if width <= 0:
        return _NO_DRAIN
    unit = fs * c.MIN_GAP_BET_GATE_POLY
    if width <= max_width:
        return _Drain(unit, unit, width, 1)
    folds = int(math.ceil(width / max_width))
    return _Drain(int(math.ceil((folds + 1) / 2)) * fs * c.MIN_GAP_BET_GATE_POLY,
                  int(math.floor((folds + 1) / 2)) * fs * c.MIN_GAP_BET_GATE_POLY,
                  max_width, folds)


def _fin_drain(width_fins: float, max_fins: int, fin_width: float, gap: float, fs: float) -> _Drain:
    count = int(math.ceil(width_fins))
    if count <= 0:
        return _NO_DRAIN
    if count <= max_fins:
        return _Drain(fs * gap, fs * gap, count * fin_width, 1)
    folds = _c_div(count, max_fins)
    return _Drain(int(math.ceil((folds + 1) / 2)) * fs * gap,
                  int(math.floor((folds + 1) / 2)) * fs * gap,
                  max_fins * fin_width, folds)


def _output_cap(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                drain_p: _Drain, drain_n: _Drain, tech: Technology) -> float:
    """Drain junction capacitance (F) at the output node of a gate."""
    n = num_input
    hp, hn = drain_p.height, drain_n.height
    width_p = width_n = side_p = side_n = 0.0
    odd_p = _c_rem2(drain_p.folds + 1)
    odd_n = _c_rem2(drain_n.folds + 1)
    shared = drain_p.folds == 1 and drain_n.folds == 1
    if gate_type == c.INV:
        if width_pmos > 0:
            width_p = drain_p.unit_width_drain
            side_p = width_p * 2 + hp * (1 + odd_p)
        if width_nmos > 0:
            width_n = drain_n.unit_width_drain
            odd = odd_p if quirks.applies("inverter_nmos_sidewall_pmos_folds", tech.compat) else odd_n
            side_n = width_n * 2 + hn * (1 + odd)
    elif gate_type == c.NOR:
        if shared:
            if width_pmos > 0:
                width_p = drain_p.unit_width_drain * n
                side_p = width_p * 2 + hp
            if width_nmos > 0:
                width_n = drain_n.unit_width_drain * int(math.floor((n + 1) / 2))
                side_n = width_n * 2 + hn * (1 - _c_rem2(n + 1))
        else:
            if width_pmos > 0:
                width_p = drain_p.unit_width_drain * n + (n - 1) * drain_p.unit_width_source
                side_p = width_p * 2 + hp * (1 + odd_p) * n + hp * (1 - odd_p) * (n - 1)
            if width_nmos > 0:
                width_n = drain_n.unit_width_drain * n
                side_n = width_n * 2 + hn * (1 + odd_n) * n
    elif gate_type == c.NAND:
        if shared:
            if width_pmos > 0:
                width_p = drain_p.unit_width_drain * int(math.floor((n + 1) / 2))
                side_p = width_p * 2 + hp * (1 - _c_rem2(n + 1))
            if width_nmos > 0:
                width_n = drain_n.unit_width_drain * n
                side_n = width_n * 2 + hn
        else:
            if width_pmos > 0:
                width_p = drain_p.unit_width_drain * n
                side_p = width_p * 2 + hp * (1 + odd_p) * n
            if width_nmos > 0:
                width_n = drain_n.unit_width_drain * n + (n - 1) * drain_n.unit_width_source
                side_n = width_n * 2 + hn * (1 + odd_n) * n + hn * (1 - odd_n) * (n - 1)

    bottom_n = width_n * hn * tech.cap_junction
    bottom_p = width_p * hp * tech.cap_junction
    if not _is_planar(tech):
        return bottom_n + bottom_p
    sidewall_p = side_p * tech.cap_sidewall
    sidewall_n = side_n * tech.cap_sidewall
    channel_n = drain_n.folds * hn * tech.cap_drain_to_channel
    channel_p = drain_p.folds * hp * tech.cap_drain_to_channel
    return bottom_n + bottom_p + sidewall_n + sidewall_p + channel_n + channel_p


def _drains(width_nmos: float, width_pmos: float, height: float, tech: Technology,
            fin_width_n: float, fin_width_p: float, gaa_layout: bool) -> tuple[_Drain, _Drain, float, float]:
    """(PMOS drain, NMOS drain, width_nmos, width_pmos in the model's units)."""
    fs = tech.feature_size
    standard = _is_standard_height(height, tech)
    if not _is_planar(tech):
        width_nmos = _fins_scaled(width_nmos, tech)
        width_pmos = _fins_scaled(width_pmos, tech)
        height = _finfet_cell_height(height, tech)
    ratio = _ratio(width_pmos, width_nmos)
    if _is_planar(tech) and not gaa_layout:
        max_p, max_n = _planar_max_widths(height, ratio, fs)
        return _planar_drain(width_pmos, max_p, fs), _planar_drain(width_nmos, max_n, fs), width_nmos, width_pmos
    r = _FIN_RULES[_node(tech)]
    gap = r.cpp - r.poly_width
    max_p, max_n = _fin_limits(height, standard, ratio, tech, integer_sheets=True)
    return (_fin_drain(width_pmos, max_p, fin_width_p, gap, fs),
            _fin_drain(width_nmos, max_n, fin_width_n, gap, fs), width_nmos, width_pmos)


def gate_capacitance(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                     height_transistor_region: float, tech: Technology) -> tuple[float, float]:
    """(input capacitance, output drain capacitance) of a logic gate, in F."""
    cap_input = gate_cap(width_nmos, tech) + gate_cap(width_pmos, tech)
    drain_p, drain_n, wn, wp = _drains(width_nmos, width_pmos, height_transistor_region, tech,
                                       tech.width_fin, tech.width_fin, gaa_layout=False)
    return cap_input, _output_cap(gate_type, num_input, wn, wp, drain_p, drain_n, tech)


def gate_capacitance_gaa(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                         height_transistor_region: float, tech: Technology, gate_factor: float,
                         n_tuning_factor: float, p_tuning_factor: float) -> tuple[float, float]:
    """GAA special-layout variant of `gate_capacitance` (2 and 1 nm only): the input cap is
    scaled by ``gate_factor`` and the N/P sheet widths by the tuning factors."""
    if not _is_gaa(tech):
        raise ValueError(f"gate_capacitance_gaa needs a GAA node (2 or 1 nm), got {_node(tech)} nm")
    cap_input = gate_factor * (gate_cap(width_nmos, tech) + gate_cap(width_pmos, tech))
    drain_p, drain_n, wn, wp = _drains(width_nmos, width_pmos, height_transistor_region, tech,
                                       tech.width_fin * n_tuning_factor, tech.width_fin * p_tuning_factor,
                                       gaa_layout=True)
    return cap_input, _output_cap(gate_type, num_input, wn, wp, drain_p, drain_n, tech)


def drain_cap(width: float, type_: int, height_transistor_region: float, tech: Technology) -> float:
    """Drain capacitance (F) of a single NMOS or PMOS transistor (an inverter half)."""
    if type_ == c.NMOS:
        return gate_capacitance(c.INV, 1, width, 0.0, height_transistor_region, tech)[1]
    return gate_capacitance(c.INV, 1, 0.0, width, height_transistor_region, tech)[1]


# --- leakage, resistance, gm --------------------------------------------------------------

def gate_leakage(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                 temperature: float, tech: Technology) -> float:
    """Average subthreshold leakage current (A) of a gate over its input states."""
    t = _temperature_index(temperature)
    if _is_planar(tech):
        eff_n, eff_p = width_nmos, width_pmos
    else:
        eff_n = _device_width(_fins_scaled(width_nmos, tech), tech)
        eff_p = _device_width(_fins_scaled(width_pmos, tech), tech)
    if gate_type == c.INV:
        return (eff_n * tech.current_off_nmos[t] + eff_p * tech.current_off_pmos[t]) / 2
    if gate_type == c.NOR:
        leak = eff_n * tech.current_off_nmos[t] * num_input
        return (c.AVG_RATIO_LEAK_2INPUT_NOR if num_input == 2 else c.AVG_RATIO_LEAK_3INPUT_NOR) * leak
    if gate_type == c.NAND:
        leak = eff_p * tech.current_off_pmos[t] * num_input
        return (c.AVG_RATIO_LEAK_2INPUT_NAND if num_input == 2 else c.AVG_RATIO_LEAK_3INPUT_NAND) * leak
    return 0.0


def _on_width(width: float, tech: Technology) -> float:
    if _is_planar(tech):
        return width
    return _device_width(_fins_divided(width, tech), tech)


def on_resistance(width: float, type_: int, temperature: float, tech: Technology) -> float:
    """Effective on-resistance (ohm) for delay: R_eff_mult * Vdd / I_on(T)."""
    t = _temperature_index(temperature)
    current = tech.current_on_nmos[t] if type_ == c.NMOS else tech.current_on_pmos[t]
    return tech.effective_resistance_multiplier * tech.vdd / (current * _on_width(width, tech))


def on_resistance_normal(width: float, type_: int, temperature: float, tech: Technology) -> float:
    """Plain on-resistance (ohm) Vdd / I_on(T), without the effective-resistance multiplier."""
    t = _temperature_index(temperature)
    current = tech.current_on_nmos[t] if type_ == c.NMOS else tech.current_on_pmos[t]
    return tech.vdd / (current * _on_width(width, tech))


def transconductance(width: float, type_: int, tech: Technology) -> float:
    """Transconductance (A/V) of a transistor of the given width."""
    if _is_planar(tech):
        width_eff = width
    elif not _is_gaa(tech):
        width_eff = math.ceil(_fins_divided(width, tech)) * (2 * tech.height_fin + tech.width_fin)
    else:
        width_eff = _device_width(_fins_divided(width, tech), tech)
    if not _is_planar(tech):
        return tech.gm_oncurrent * width_eff
    current = tech.current_gm_nmos if type_ == c.NMOS else tech.current_gm_pmos
    return (2 * current) * width_eff / (0.7 * tech.vdd - tech.vth)


def horowitz(tr: float, beta: float, ramp_input: float) -> tuple[float, float]:
    """Horowitz gate delay (s) and output ramp (1/s) for time constant ``tr`` and input ramp.

    ``beta`` is accepted for the model's signature but, as in CACTI, fixed at 0.5.
    """
    alpha = 1 / ramp_input / tr
    vs = 0.5  # normalised switching voltage
    beta = 0.5
    delay = tr * math.sqrt(math.log(vs) * math.log(vs) + 2 * alpha * beta * (1 - vs))
    return delay, (1 - vs) / delay


def nonlinear_resistance(r: float, nl: float, vw: float, vr: float, v: float) -> float:
    """Resistance at bias ``v`` of a device with resistance ``r`` at ``vr`` and I-V nonlinearity
    ``nl`` (current ratio between ``vw`` and ``vw/2``)."""
    return r * v / vr * nl ** ((vr - v) / (vw / 2))


# --- sizing -------------------------------------------------------------------------------

def enlarge_size(width_nmos: float, width_pmos: float, height_transistor_region: float,
                 tech: Technology) -> tuple[float, float]:
    """Widen minimum-size transistors to what the cell height allows at no area cost.

    Returns the new (width_nmos, width_pmos) in m.
    """
    ratio = _ratio(width_pmos, width_nmos)
    fs = tech.feature_size
    if _is_planar(tech):
        max_p, max_n = _planar_max_widths(height_transistor_region, ratio, fs)
        if ratio == 0 and width_nmos < max_n:
            return max_n, width_pmos
        if ratio == 1 and width_pmos < max_p:
            return width_nmos, max_p
        if 0 < width_pmos < max_p and 0 < width_nmos < max_n:
            return max_n, max_p
        return width_nmos, width_pmos

    if not _is_gaa(tech):
        max_fins = int(tech.max_fin_num)
        fins_p = int(math.ceil(width_pmos / (2.0 * fs)))
        fins_n = int(math.ceil(width_nmos / (2.0 * fs)))
        if ratio == 0 and fins_n <= max_fins:
            return float(max_fins) * 2 * fs, width_pmos
        if ratio == 1 and fins_p <= max_fins:
            return width_nmos, float(max_fins) * 2 * fs
        if 0 < fins_p <= max_fins and 0 < fins_n <= max_fins:
            if ratio >= 0.5:
                other = max_fins / ratio * (1 - ratio)
                if other - int(other) == 0:  # enlarge only to a whole number of fins
                    fins_n, fins_p = int(other), max_fins
            else:
                other = max_fins / (1 - ratio) * ratio
                if other - int(other) == 0:
                    fins_p, fins_n = int(other), max_fins
            return float(fins_n) * 2 * fs, float(fins_p) * 2 * fs
        return width_nmos, width_pmos

    sheets_p = int(math.ceil(width_pmos / (2 * fs)))
    sheets_n = int(math.ceil(width_nmos / (2 * fs)))
    if ratio == 0 and sheets_n <= 2:
        return 2.0 * 2 * fs, width_pmos
    if ratio == 1 and sheets_p <= 2:
        return width_nmos, 2.0 * 2 * fs
    if 0 < sheets_p <= 1 and 0 < sheets_n <= 1:
        return 1.0 * 2 * fs, 1.0 * 2 * fs
    return width_nmos, width_pmos
