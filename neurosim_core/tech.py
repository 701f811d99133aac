"""Transistor technology parameters per node (Technology(node, roadmap)).

Model: NeuroSim V1.4 ``Technology.cpp`` model.  Planar nodes 130..22 nm use the PTM
(http://ptm.asu.edu) HP / LP(LSTP) model cards with CACTI's effective-resistance multipliers;
14/10/7 nm are FinFET nodes (IRDS 2016/2017), 5/3 nm FinFET (IRDS 2021/2022) and 2/1 nm
gate-all-around nanosheet nodes (IRDS 2022).  FinFET/GAA values are LSTP only.

On/off currents (A/m of width) are tabulated every 10 K from 300 K to 400 K and linearly
interpolated to 1 K steps; the arrays are indexed by ``temperature_K - 300``.  Junction
capacitances follow the BSIM4 bias dependence Cj = Cj0 / (1 + Vdd/PB)^m at planar nodes and
IRDS-derived per-node values below 22 nm.  Not reference defects (no `quirks` entry): the drain
total capacitance is set only at 130 nm LSTP and 65 nm HP among the planar nodes, but it is read
only at <= 14 nm, so it changes nothing; the FinFET P/N size ratio is an integer on purpose
(V1.4 casts it explicitly where the other FinFET/GAA nodes fix it at 1): FinFETs are sized in whole fins.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["Technology", "technology", "ROADMAPS", "TRANSISTORS", "NODES_NM", "NUM_TEMPERATURES"]

ROADMAPS = ("hp", "lstp")
TRANSISTORS = ("conventional",)
NODES_NM = (130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1)
NUM_TEMPERATURES = 101  # 300 K .. 400 K in 1 K steps
_FINFET_NODES_NM = (14, 10, 7, 5, 3, 2, 1)


@dataclass(frozen=True, eq=False)
class Technology:
    """Transistor parameters of one technology node (SI units; currents in A/m of width)."""

    feature_size_in_nano: int
    feature_size: float  # m
    rram_feature_size: float  # m; not set by the model (always 0)
    roadmap: str  # "hp" or "lstp"
    transistor: str  # "conventional"
    vdd: float  # V
    vth: float  # V
    height_fin: float  # m (FinFET nodes 14/10/7 only; 0 elsewhere)
    width_fin: float  # m (FinFET width; sheet width at GAA nodes)
    pitch_fin: float  # m
    phy_gate_length: float  # m
    cap_ideal_gate: float  # F/m
    cap_fringe: float  # F/m
    cap_junction: float  # F/m^2
    cap_overlap: float  # F/m
    cap_sidewall: float  # F/m
    cap_drain_to_channel: float  # F/m
    build_in_potential: float  # V
    pn_size_ratio: float
    effective_resistance_multiplier: float
    current_on_nmos: np.ndarray  # A/m, index = T - 300 K
    current_on_pmos: np.ndarray
    current_off_nmos: np.ndarray
    current_off_pmos: np.ndarray
    current_gm_nmos: float  # A/m/V
    current_gm_pmos: float
    cap_polywire: float  # F/m; not modelled (0)
    max_sheet_num: float  # GAA nanosheets per device
    thickness_sheet: float  # m
    width_sheet: float  # m
    effective_width: float  # m, effective channel width of one fin / one sheet stack
    max_fin_num: float  # FinFET fins per device
    max_fin_per_gaa: float
    gm_oncurrent: float  # A/m/V
    cap_draintotal: float  # F/m
    #: reference-compatibility mode (`neurosim_core.quirks`) the device formulas follow
    compat: str = "neurosim_v14"

    @property
    def is_finfet_or_gaa(self) -> bool:
        """True below 22 nm (FinFET / GAA layout and capacitance rules apply)."""
        return self.feature_size_in_nano < 22


class _Currents(NamedTuple):
    """Currents (A/m) at 300, 310, ..., 400 K."""

    on_n: tuple[float, ...]
    on_p: tuple[float, ...]
    off_n: tuple[float, ...]
    off_p: tuple[float, ...]


# PTM / IRDS on- and off-currents, every 10 K from 300 K (NeuroSim V1.4 Technology.cpp tables).
_CURRENTS: dict[tuple[int, str], _Currents] = {
    (130, "hp"): _Currents(
        on_n=(930.0, 910.0, 890.0, 870.0, 850.0, 830.0, 810.0, 790.0, 770.0, 750.0, 740.0),
        on_p=(430.0, 410.0, 380.0, 360.0, 340.0, 320.0, 300.0, 280.0, 260.0, 250.0, 240.0),
        off_n=(0.1, 0.1199, 0.1422, 0.167, 0.1943, 0.2243, 0.2568, 0.292, 0.3299, 0.3705, 0.4138),
        off_p=(0.1002, 0.1136, 0.1279, 0.1431, 0.1591, 0.1758, 0.1934, 0.2117, 0.2308, 0.2507, 0.2712),
    ),
    (130, "lstp"): _Currents(
        on_n=(300.7, 273.4, 249.4, 228.4, 209.9, 193.5, 179.0, 166.0, 154.4, 144.0, 134.6),
        on_p=(150.7, 136.2, 123.6, 112.7, 103.2, 94.88, 87.54, 81.04, 75.25, 70.08, 65.44),
        off_n=(0.0001002, 0.0001359, 0.0001812, 0.0002378, 0.0003073, 0.0003919, 0.0004933, 0.0006137, 0.0007553, 0.0009202, 0.001111),
        off_p=(0.0001002, 0.0001328, 0.000173, 0.0002219, 0.0002807, 0.0003504, 0.0004322, 0.0005272, 0.0006368, 0.0007619, 0.0009038),
    ),
    (90, "hp"): _Currents(
        on_n=(1070.0, 1050.0, 1030.0, 1010.0, 990.0, 970.0, 950.0, 930.0, 900.0, 880.0, 860.0),
        on_p=(540.0, 500.0, 470.0, 440.0, 410.0, 390.0, 370.0, 340.0, 320.0, 310.0, 290.0),
        off_n=(0.1008, 0.1208, 0.1434, 0.1686, 0.1966, 0.2274, 0.2611, 0.2977, 0.3373, 0.3798, 0.4254),
        off_p=(0.1, 0.114, 0.1289, 0.1448, 0.1616, 0.1793, 0.1979, 0.2174, 0.2379, 0.2591, 0.2813),
    ),
    (90, "lstp"): _Currents(
        on_n=(346.3, 314.5, 286.8, 262.5, 241.2, 222.3, 205.6, 190.8, 177.5, 165.6, 155.0),
        on_p=(200.3, 179.5, 161.9, 146.9, 133.9, 122.6, 112.8, 104.1, 96.47, 89.68, 83.62),
        off_n=(0.0001, 0.0001357, 0.0001811, 0.000238, 0.0003085, 0.0003946, 0.0004985, 0.0006226, 0.0007693, 0.0009412, 0.001141),
        off_p=(0.0001003, 0.0001332, 0.0001742, 0.0002244, 0.0002851, 0.0003576, 0.0004434, 0.0005437, 0.00066, 0.0007938, 0.0009464),
    ),
    (65, "hp"): _Currents(
        on_n=(1120.0, 1100.0, 1080.0, 1060.0, 1040.0, 1020.0, 1000.0, 980.0, 950.0, 930.0, 910.0),
        on_p=(700.0, 660.0, 620.0, 580.0, 550.0, 520.0, 490.0, 460.0, 440.0, 410.0, 390.0),
        off_n=(0.1, 0.1197, 0.1419, 0.1668, 0.1944, 0.2248, 0.2581, 0.2944, 0.3336, 0.3759, 0.4212),
        off_p=(0.1001, 0.1152, 0.1315, 0.149, 0.1676, 0.1874, 0.2084, 0.2305, 0.2537, 0.2781, 0.3036),
    ),
    (65, "lstp"): _Currents(
        on_n=(400.0, 363.9, 332.3, 304.7, 280.4, 258.9, 239.9, 223.0, 207.9, 194.3, 182.1),
        on_p=(238.7, 216.1, 196.6, 179.7, 164.9, 152.0, 140.5, 130.4, 121.4, 113.3, 106.1),
        off_n=(0.0001002, 0.0001375, 0.0001858, 0.0002472, 0.0003242, 0.0004193, 0.0005354, 0.0006757, 0.0008431, 0.001041, 0.001273),
        off_p=(0.0001002, 0.0001354, 0.0001797, 0.0002349, 0.0003025, 0.0003843, 0.0004822, 0.000598, 0.0007339, 0.0008916, 0.001073),
    ),
    (45, "hp"): _Currents(
        on_n=(1270.0, 1240.0, 1220.0, 1190.0, 1160.0, 1130.0, 1110.0, 1080.0, 1050.0, 1020.0, 1000.0),
        on_p=(1080.0, 1040.0, 1000.0, 960.0, 920.0, 880.0, 850.0, 810.0, 780.0, 750.0, 720.0),
        off_n=(0.1, 0.1207, 0.1441, 0.1705, 0.1998, 0.2323, 0.268, 0.3071, 0.3495, 0.3954, 0.4448),
        off_p=(0.1002, 0.1187, 0.1393, 0.162, 0.1868, 0.2139, 0.2433, 0.2749, 0.3089, 0.3452, 0.3838),
    ),
    (45, "lstp"): _Currents(
        on_n=(500.2, 462.0, 427.8, 397.1, 369.4, 344.5, 322.1, 301.8, 283.4, 266.7, 251.5),
        on_p=(300.0, 275.7, 254.2, 235.1, 218.1, 202.8, 189.2, 176.9, 165.8, 155.8, 146.7),
        off_n=(0.0001, 0.0001405, 0.0001939, 0.0002631, 0.0003514, 0.0004625, 0.0006003, 0.0007692, 0.0009739, 0.001219, 0.001511),
        off_p=(0.0001002, 0.0001384, 0.0001876, 0.0002501, 0.0003281, 0.0004241, 0.0005409, 0.0006813, 0.0008483, 0.001045, 0.001275),
    ),
    (32, "hp"): _Currents(
        on_n=(1410.0, 1380.0, 1350.0, 1310.0, 1280.0, 1250.0, 1210.0, 1180.0, 1150.0, 1120.0, 1080.0),
        on_p=(1220.0, 1170.0, 1120.0, 1070.0, 1020.0, 980.0, 940.0, 890.0, 860.0, 820.0, 780.0),
        off_n=(0.1003, 0.1204, 0.1431, 0.1686, 0.197, 0.2284, 0.2629, 0.3006, 0.3417, 0.3861, 0.4339),
        off_p=(0.1001, 0.119, 0.14, 0.1633, 0.1888, 0.2167, 0.247, 0.2797, 0.3149, 0.3526, 0.3928),
    ),
    (32, "lstp"): _Currents(
        on_n=(600.2, 562.8, 528.2, 496.2, 466.8, 439.7, 414.8, 391.9, 370.7, 351.3, 333.3),
        on_p=(400.0, 368.4, 340.3, 315.3, 292.9, 272.8, 254.8, 238.5, 223.8, 210.5, 198.4),
        off_n=(0.0001001, 0.0001436, 0.0002021, 0.0002793, 0.0003795, 0.0005075, 0.0006688, 0.0008692, 0.001115, 0.001415, 0.001774),
        off_p=(0.0001001, 0.0001407, 0.000194, 0.0002625, 0.0003493, 0.0004577, 0.0005912, 0.0007537, 0.0009493, 0.001182, 0.001457),
    ),
    (22, "hp"): _Currents(
        on_n=(1500.0, 1470.0, 1430.0, 1390.0, 1350.0, 1310.0, 1280.0, 1240.0, 1200.0, 1170.0, 1130.0),
        on_p=(1320.0, 1250.0, 1190.0, 1130.0, 1070.0, 1020.0, 970.0, 920.0, 880.0, 840.0, 800.0),
        off_n=(0.1002, 0.1204, 0.1435, 0.1695, 0.1987, 0.2312, 0.267, 0.3063, 0.3493, 0.396, 0.4466),
        off_p=(0.1002, 0.1194, 0.1408, 0.1646, 0.1909, 0.2195, 0.2507, 0.2845, 0.3209, 0.3598, 0.4015),
    ),
    (22, "lstp"): _Currents(
        on_n=(791.9, 756.4, 722.2, 689.4, 658.1, 628.3, 600.0, 573.3, 548.0, 524.2, 501.7),
        on_p=(600.2, 561.3, 525.5, 492.5, 462.2, 434.3, 408.7, 385.1, 363.4, 343.3, 324.8),
        off_n=(0.0001, 0.0001473, 0.0002121, 0.0002996, 0.0004153, 0.0005658, 0.0007589, 0.001003, 0.001307, 0.001682, 0.002139),
        off_p=(0.0001, 0.0001473, 0.0002121, 0.0002996, 0.0004153, 0.0005658, 0.0007589, 0.001003, 0.001307, 0.001682, 0.002139),
    ),
    (14, "lstp"): _Currents(
        on_n=(595.045, 853.0, 814.0, 777.0, 742.0, 708.0, 677.0, 646.0, 618.0, 591.0, 565.0),
        on_p=(595.045, 767.0, 718.0, 672.0, 631.0, 593.0, 558.0, 526.0, 496.0, 469.0, 443.0),
        off_n=(0.0001, 0.0001844553, 0.0003287707, 0.0005668658, 0.0009481816, 0.0015425, 0.002446, 0.0037885, 0.0057416, 0.0085281, 0.0124327),
        off_p=(0.0001023333, 0.0002034774, 0.0003890187, 0.0007175912, 0.001281, 0.0022192, 0.0037395, 0.0061428, 0.0098554, 0.0154702, 0.0237959),
    ),
    (10, "lstp"): _Currents(
        on_n=(599.237, 824.0, 787.0, 751.0, 717.0, 684.0, 654.0, 624.0, 597.0, 571.0, 546.0),
        on_p=(599.237, 725.0, 678.0, 636.0, 597.0, 561.0, 527.0, 497.0, 469.0, 443.0, 419.0),
        off_n=(0.000127, 0.0001844892, 0.0003291615, 0.0005680731, 0.0009510401, 0.0015484, 0.0024574, 0.003809, 0.0057767, 0.0085862, 0.012525),
        off_p=(0.0001005839, 0.0002002609, 0.0003833239, 0.0007078499, 0.0012649, 0.0021932, 0.0036987, 0.0060804, 0.0097622, 0.015334, 0.0236007),
    ),
    (7, "lstp"): _Currents(
        on_n=(562.048, 786.0, 750.0, 716.0, 684.0, 653.0, 624.0, 595.0, 569.0, 545.0, 521.0),
        on_p=(562.048, 689.0, 645.0, 605.0, 567.0, 533.0, 501.0, 473.0, 446.0, 421.0, 398.0),
        off_n=(0.000147, 0.000185, 0.000332, 0.000574, 0.000962, 0.0015695, 0.0024953, 0.0038744, 0.0058858, 0.0087624, 0.0128025),
        off_p=(0.0001009536, 0.0002013937, 0.0003862086, 0.0007144288, 0.0012788, 0.0022207, 0.0037509, 0.006175, 0.0099278, 0.0156146, 0.0240633),
    ),
    (5, "lstp"): _Currents(
        on_n=(578.494, 786.0, 750.0, 716.0, 684.0, 653.0, 624.0, 595.0, 569.0, 545.0, 521.0),
        on_p=(578.494, 689.0, 645.0, 605.0, 567.0, 533.0, 501.0, 473.0, 446.0, 421.0, 398.0),
        off_n=(0.000138, 0.000185, 0.000332, 0.000574, 0.000962, 0.0015695, 0.0024953, 0.0038744, 0.0058858, 0.0087624, 0.0128025),
        off_p=(0.0001009536, 0.0002013937, 0.0003862086, 0.0007144288, 0.0012788, 0.0022207, 0.0037509, 0.006175, 0.0099278, 0.0156146, 0.0240633),
    ),
    (3, "lstp"): _Currents(
        on_n=(641.463, 786.0, 750.0, 716.0, 684.0, 653.0, 624.0, 595.0, 569.0, 545.0, 521.0),
        on_p=(641.463, 689.0, 645.0, 605.0, 567.0, 533.0, 501.0, 473.0, 446.0, 421.0, 398.0),
        off_n=(0.000158, 0.000185, 0.000332, 0.000574, 0.000962, 0.0015695, 0.0024953, 0.0038744, 0.0058858, 0.0087624, 0.0128025),
        off_p=(0.0001009536, 0.0002013937, 0.0003862086, 0.0007144288, 0.0012788, 0.0022207, 0.0037509, 0.006175, 0.0099278, 0.0156146, 0.0240633),
    ),
    (2, "lstp"): _Currents(
        on_n=(526.868, 786.0, 750.0, 716.0, 684.0, 653.0, 624.0, 595.0, 569.0, 545.0, 521.0),
        on_p=(526.868, 689.0, 645.0, 605.0, 567.0, 533.0, 501.0, 473.0, 446.0, 421.0, 398.0),
        off_n=(7.33e-05, 0.000185, 0.000332, 0.000574, 0.000962, 0.0015695, 0.0024953, 0.0038744, 0.0058858, 0.0087624, 0.0128025),
        off_p=(0.0001009536, 0.0002013937, 0.0003862086, 0.0007144288, 0.0012788, 0.0022207, 0.0037509, 0.006175, 0.0099278, 0.0156146, 0.0240633),
    ),
    (1, "lstp"): _Currents(
        on_n=(460.979, 786.0, 750.0, 716.0, 684.0, 653.0, 624.0, 595.0, 569.0, 545.0, 521.0),
        on_p=(460.979, 689.0, 645.0, 605.0, 567.0, 533.0, 501.0, 473.0, 446.0, 421.0, 398.0),
        off_n=(0.000169, 0.000185, 0.000332, 0.000574, 0.000962, 0.0015695, 0.0024953, 0.0038744, 0.0058858, 0.0087624, 0.0128025),
        off_p=(0.0001009536, 0.0002013937, 0.0003862086, 0.0007144288, 0.0012788, 0.0022207, 0.0037509, 0.006175, 0.0099278, 0.0156146, 0.0240633),
    ),
}


class _Planar(NamedTuple):
    vdd: float
    vth: float
    phy_gate_length: float
    cap_ideal_gate: float
    cap_fringe: float
    effective_resistance_multiplier: float
    current_gm_nmos: float
    current_gm_pmos: float


# PTM model cards (HP, LP) with CACTI effective-resistance multipliers.
_PLANAR: dict[tuple[int, str], _Planar] = {
    (130, "hp"): _Planar(1.3, 128.4855e-3, 7.5e-8, 6.058401e-10, 6.119807e-10, 1.54, 394.0, 261.0),
    (130, "lstp"): _Planar(1.3, 466.0949e-3, 7.5e-8, 1.8574e-9, 9.530642e-10, 1.54, 38.7, 56.7),
    (90, "hp"): _Planar(1.2, 146.0217e-3, 5.5e-8, 5.694423e-10, 5.652302e-10, 1.54, 495.0, 316.0),
    (90, "lstp"): _Planar(1.2, 501.3229e-3, 5.5e-8, 1.5413e-9, 9.601334e-10, 1.77, 43.8, 59.9),
    (65, "hp"): _Planar(1.1, 166.3941e-3, 3.5e-8, 4.868295e-10, 5.270361e-10, 1.54, 572.0, 399.0),
    (65, "lstp"): _Planar(1.1, 501.6636e-3, 3.5e-8, 1.1926e-9, 9.62148e-10, 1.77, 59.0, 67.5),
    (45, "hp"): _Planar(1.0, 171.0969e-3, 3.0e-8, 4.091305e-10, 4.957928e-10, 1.54, 737.0, 630.0),
    (45, "lstp"): _Planar(1.0, 464.3718e-3, 3.0e-8, 8.930709e-10, 8.849901e-10, 1.77, 132.0, 86.5),
    (32, "hp"): _Planar(0.9, 194.4951e-3, 2.8e-8, 3.767721e-10, 4.713762e-10, 1.54, 929.0, 673.0),
    (32, "lstp"): _Planar(0.9, 442.034e-3, 2.8e-8, 8.375279e-10, 6.856677e-10, 1.77, 256.0, 119.0),
    (22, "hp"): _Planar(0.85, 208.9006e-3, 2.6e-8, 3.287e-10, 4.532e-10, 1.54, 1080.0, 698.0),
    (22, "lstp"): _Planar(0.85, 419.915e-3, 2.6e-8, 5.245e-10, 8.004e-10, 1.77, 456.0, 185.0),
}
# the model sets the drain total capacitance (= half the fringe cap) only for these planar cards
_PLANAR_WITH_DRAIN_TOTAL = {(130, "lstp"), (65, "hp")}


class _Scaled(NamedTuple):
    """FinFET / GAA node (LSTP): IRDS geometry and per-device extracted values."""

    vdd: float
    phy_gate_length: float
    width_fin: float  # m
    pitch_fin: float  # m
    height_fin: float  # m (0 where the model gives the effective width directly)
    effective_width: float  # m; 0 -> width_fin + 2 * height_fin (14/10 nm)
    max_fin_num: float
    max_sheet_num: float  # GAA only
    thickness_sheet: float  # m, GAA only
    width_sheet: float  # m, GAA only
    cap_gate_per_device: float  # aF
    cap_drain_per_device: float  # F
    effective_resistance_multiplier: float
    gm: float  # A/m/V
    cap_junction: float  # F/m^2


_VTH_SCALED = 0.1  # placeholder threshold voltage of the scaled nodes (unused by the model)
_SCALED: dict[int, _Scaled] = {
    14: _Scaled(0.8, 2.6e-8, 8.0e-9, 4.8e-8, 4.2e-8, 0.0, 4, 0, 0.0, 0.0, 103.816, 2.499e-17, 2.09, 1415.34, 0.0120),
    10: _Scaled(0.75, 2.2e-8, 8.0e-9, 3.6e-8, 4.5e-8, 0.0, 3, 0, 0.0, 0.0, 97.549, 2.668e-17, 2.09, 1803.50, 0.0134),
    7: _Scaled(0.7, 2.2e-8, 7e-9, 3.0e-8, 5.0e-8, 107e-9, 2, 0, 0.0, 0.0, 100.497, 2.224e-17, 2.05, 1785.37, 0.0137),
    5: _Scaled(0.7, 2.0e-8, 6.0e-9, 28.0e-9, 0.0, 106.0 * 1e-9, 2, 0, 0.0, 0.0, 81.859, 2.076e-17, 2.10, 1820.90, 0.0119),
    3: _Scaled(0.7, 1.8e-8, 5.0e-9, 24.0e-9, 0.0, 101.0 * 1e-9, 2, 0, 0.0, 0.0, 72.572, 1.791e-17, 2.14, 2018.04, 0.0128),
    2: _Scaled(0.65, 1.4e-8, 15 * 1e-9, 26e-9, 0.0, 0.0, 0, 3, 6 * 1e-9, 15 * 1e-9, 79.74, 1.543e-17, 1.98, 1968.85, 0.0091),
    1: _Scaled(0.6, 1.2e-8, 10 * 1e-9, 24e-9, 0.0, 0.0, 0, 4, 6 * 1e-9, 10 * 1e-9, 66.94, 1.409e-17, 2.05, 2401.75, 0.0102),
}

# BSIM4 junction parameters (planar nodes)
_CJ0_BOTTOM = 1e-3  # F/m^2
_CJ0_SIDEWALL = 2.5e-10  # F/m
_CJ0_GATE_EDGE = 0.5e-10  # F/m
_MJ_BOTTOM, _MJ_SIDEWALL, _MJ_GATE_EDGE = 0.5, 0.33, 0.33
_BUILT_IN_POTENTIAL = 0.9  # V


def _per_kelvin(anchors: tuple[float, ...]) -> np.ndarray:
    """Linear interpolation of the 10 K table to 1 K steps (300..400 K), in the model's order."""
    out = np.empty(NUM_TEMPERATURES)
    for i in range(NUM_TEMPERATURES):
        lo, step = divmod(i, 10)
        a = anchors[lo]
        out[i] = a if step == 0 else a + (anchors[lo + 1] - a) * step / 10
    out.flags.writeable = False
    return out


def _junction(cj0: float, vdd: float, grading: float) -> float:
    return cj0 / (1 + vdd / _BUILT_IN_POTENTIAL) ** grading


def _planar_fields(node: int, roadmap: str, currents: _Currents) -> dict:
    c = _PLANAR[(node, roadmap)]
    return dict(
        vdd=c.vdd, vth=c.vth, height_fin=0.0, width_fin=0.0, pitch_fin=0.0,
        phy_gate_length=c.phy_gate_length, cap_ideal_gate=c.cap_ideal_gate, cap_fringe=c.cap_fringe,
        cap_junction=_junction(_CJ0_BOTTOM, c.vdd, _MJ_BOTTOM),
        cap_overlap=c.cap_ideal_gate * 0.2,
        pn_size_ratio=currents.on_n[0] / currents.on_p[0],
        effective_resistance_multiplier=c.effective_resistance_multiplier,
        current_gm_nmos=c.current_gm_nmos, current_gm_pmos=c.current_gm_pmos,
        max_sheet_num=0.0, thickness_sheet=0.0, width_sheet=0.0, effective_width=0.0,
        max_fin_num=0.0, max_fin_per_gaa=0.0, gm_oncurrent=0.0,
        cap_draintotal=c.cap_fringe / 2 if (node, roadmap) in _PLANAR_WITH_DRAIN_TOTAL else 0.0,
    )


def _scaled_fields(node: int, currents: _Currents) -> dict:
    s = _SCALED[node]
    gaa = s.max_sheet_num > 0
    if gaa:
        effective_width = (s.thickness_sheet + s.width_sheet) * 2
        cap_ideal_gate = s.cap_gate_per_device * 1e-18 / (effective_width * s.max_sheet_num)
    else:
        effective_width = s.effective_width or s.width_fin + s.height_fin * 2
        cap_ideal_gate = s.cap_gate_per_device * 1e-18 / effective_width
    return dict(
        vdd=s.vdd, vth=_VTH_SCALED, height_fin=s.height_fin, width_fin=s.width_fin, pitch_fin=s.pitch_fin,
        phy_gate_length=s.phy_gate_length, cap_ideal_gate=cap_ideal_gate, cap_fringe=0.0,
        cap_junction=s.cap_junction,
        cap_overlap=0.0,  # included in the ideal gate capacitance at FinFET/GAA nodes
        pn_size_ratio=float(int(currents.on_n[0] / currents.on_p[0])),
        effective_resistance_multiplier=s.effective_resistance_multiplier,
        current_gm_nmos=s.gm, current_gm_pmos=s.gm,
        max_sheet_num=float(s.max_sheet_num), thickness_sheet=s.thickness_sheet, width_sheet=s.width_sheet,
        effective_width=effective_width, max_fin_num=float(s.max_fin_num),
        max_fin_per_gaa=1.0 if gaa else 0.0, gm_oncurrent=s.gm,
        cap_draintotal=s.cap_drain_per_device / effective_width,
    )


@functools.lru_cache(maxsize=None)
def technology(node_nm: int, roadmap: str = "lstp", transistor: str = "conventional",
               compat: str = "neurosim_v14") -> Technology:
    """The `Technology` of a node (130..1 nm) and device roadmap ("hp" or "lstp").

    Raises ValueError (one line, naming the allowed values) for an unsupported combination;
    below 22 nm only the LSTP roadmap exists.
    """
    if transistor not in TRANSISTORS:
        raise ValueError(f"transistor {transistor!r} is not supported; allowed: {', '.join(TRANSISTORS)}")
    if roadmap not in ROADMAPS:
        raise ValueError(f"roadmap {roadmap!r} is not supported; allowed: {', '.join(ROADMAPS)}")
    if node_nm not in NODES_NM:
        raise ValueError(f"technology node {node_nm!r} nm is not supported; allowed: "
                         f"{', '.join(map(str, NODES_NM))}")
    if (node_nm, roadmap) not in _CURRENTS:
        raise ValueError(f"roadmap {roadmap!r} is not supported at {node_nm} nm; allowed at "
                         f"{'/'.join(map(str, _FINFET_NODES_NM))} nm: lstp")
    currents = _CURRENTS[(node_nm, roadmap)]
    if node_nm in _FINFET_NODES_NM:
        fields = _scaled_fields(node_nm, currents)
    else:
        fields = _planar_fields(node_nm, roadmap, currents)
    vdd = fields["vdd"]
    return Technology(
        feature_size_in_nano=node_nm,
        feature_size=node_nm * 1e-9,
        rram_feature_size=0.0,
        roadmap=roadmap,
        transistor=transistor,
        cap_sidewall=_junction(_CJ0_SIDEWALL, vdd, _MJ_SIDEWALL),
        cap_drain_to_channel=_junction(_CJ0_GATE_EDGE, vdd, _MJ_GATE_EDGE),
        build_in_potential=_BUILT_IN_POTENTIAL,
        current_on_nmos=_per_kelvin(currents.on_n),
        current_on_pmos=_per_kelvin(currents.on_p),
        current_off_nmos=_per_kelvin(currents.off_n),
        current_off_pmos=_per_kelvin(currents.off_p),
        cap_polywire=0.0,
        compat=compat,
        **fields,
    )
