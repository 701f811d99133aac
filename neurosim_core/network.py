"""Network table: the layer shapes a CIM chip is floor-planned and evaluated for.

Follows the NeuroSim V1.4 ``NetWork.csv`` format (DNN+NeuroSim V1.4 user manual, "Network
structure"): one row per CIM layer, eight comma-separated numbers and no header::

    IFM_H, IFM_W, IFM_C, K_H, K_W, C_out, followed_by_max_pool (0/1), stride

Fully-connected layers are written as 1x1 convolutions on a 1x1 input (``1,1,C_in,1,1,C_out``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from . import quirks

__all__ = ["LayerSpec", "Network", "NetworkError", "num_in_vector", "read_network_csv"]

#: column names of NetWork.csv, in file order
CSV_FIELDS = ("ifm_h", "ifm_w", "ifm_c", "k_h", "k_w", "c_out", "pool", "stride")


class NetworkError(ValueError):
    """A network table is malformed.  The message is one line naming the file, row and field."""


def num_in_vector(ifm_h: int, ifm_w: int, k_h: int, k_w: int, stride: int) -> int:
    """Input vectors (sliding windows) NeuroSim V1.4 evaluates for one layer (Chip.cpp model).

    The model computes ``(H-K_H+1)/s*(W-K_W+1)/s`` on its ``double`` network table, left to
    right, and truncates the result to ``int``: a valid-padding window count, although the traces
    are same-padded (900 of the 1024 windows of a 32x32 3x3 convolution).  With stride > 1 and odd
    extents this is neither integer division per factor nor per product: 31x31, 3x3, stride 2
    gives int(14.5*29/2) = 210.
    """
    return int((ifm_h - k_h + 1) / stride * (ifm_w - k_w + 1) / stride)


@dataclass(frozen=True)
class LayerSpec:
    """One CIM layer: input feature map (H, W, C), kernel (K_H, K_W), output channels, pooling, stride."""

    ifm_h: int
    ifm_w: int
    ifm_c: int
    k_h: int
    k_w: int
    c_out: int
    pool: bool = False
    stride: int = 1

    def __post_init__(self) -> None:
        for name in ("ifm_h", "ifm_w", "ifm_c", "k_h", "k_w", "c_out", "stride"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise NetworkError(f"layer field '{name}' = {value!r} must be a positive integer")
        if self.k_h > self.ifm_h or self.k_w > self.ifm_w:
            raise NetworkError(
                f"layer kernel {self.k_h}x{self.k_w} is larger than its input {self.ifm_h}x{self.ifm_w}")

    @property
    def is_fc(self) -> bool:
        """True for a fully-connected layer (1x1 kernel on a 1x1 input)."""
        return self.ifm_h == 1 and self.ifm_w == 1 and self.k_h == 1 and self.k_w == 1

    @property
    def weight_rows(self) -> int:
        """Rows of the unrolled weight matrix (C_in * K_H * K_W), one per synapse row."""
        return self.ifm_c * self.k_h * self.k_w

    @property
    def num_in_vectors(self) -> int:
        """Input vectors (sliding windows) NeuroSim evaluates for this layer (see `num_in_vector`)."""
        return num_in_vector(self.ifm_h, self.ifm_w, self.k_h, self.k_w, self.stride)

    def windows(self, compat: str) -> int:
        """Input vectors evaluated under ``compat``: V1.4's valid-padding count (quirk
        ``valid_padding_window_count``), else every window of the same-padded trace
        (ceil(H/s) * ceil(W/s), the windows `num_computation` counts at stride 1)."""
        if quirks.applies("valid_padding_window_count", compat):
            return self.num_in_vectors
        return -(-self.ifm_h // self.stride) * -(-self.ifm_w // self.stride)

    @property
    def num_computation(self) -> int:
        """Operations counted for TOPS: 2 * H * W * C_in * K_H * K_W * C_out (NeuroSim main.cpp)."""
        return 2 * self.ifm_h * self.ifm_w * self.ifm_c * self.k_h * self.k_w * self.c_out

    def as_row(self) -> tuple[int, ...]:
        """The eight NetWork.csv numbers of this layer."""
        return (self.ifm_h, self.ifm_w, self.ifm_c, self.k_h, self.k_w, self.c_out, int(self.pool), self.stride)


@dataclass(frozen=True)
class Network:
    """An ordered tuple of CIM layers with a name for each (e.g. the trace stem ``Conv0``)."""

    layers: tuple[LayerSpec, ...]
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        layers = tuple(self.layers)
        if not layers:
            raise NetworkError("a network needs at least one layer")
        names = tuple(self.names) if self.names else tuple(f"layer{i + 1}" for i in range(len(layers)))
        if len(names) != len(layers):
            raise NetworkError(f"{len(names)} layer names given for {len(layers)} layers")
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "names", names)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[int]], names: Sequence[str] = ()) -> "Network":
        """Build from NetWork.csv-style rows of eight integers."""
        layers = []
        for row in rows:
            h, w, c, kh, kw, cout, pool, stride = (int(v) for v in row)
            layers.append(LayerSpec(h, w, c, kh, kw, cout, bool(pool), stride))
        return cls(tuple(layers), tuple(names))

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __getitem__(self, index: int) -> LayerSpec:
        return self.layers[index]

    @property
    def num_computation(self) -> int:
        """Total operations per image used for TOPS: sum of 2*H*W*C*KH*KW*Cout over the layers."""
        return sum(layer.num_computation for layer in self.layers)


def _parse_field(text: str, source: str, row: int, field: str) -> int:
    stripped = text.strip()
    try:
        value = float(stripped)
    except ValueError:
        raise NetworkError(f"{source}: row {row}, field '{field}': '{stripped}' is not a number") from None
    if not math.isfinite(value) or value != int(value):
        raise NetworkError(f"{source}: row {row}, field '{field}': '{stripped}' is not an integer")
    value = int(value)
    if field == "pool":
        if value not in (0, 1):
            raise NetworkError(f"{source}: row {row}, field 'pool': {value} must be 0 or 1")
    elif value < 1:
        raise NetworkError(f"{source}: row {row}, field '{field}': {value} must be a positive integer")
    return value


def read_network_csv(path: str | Path, names: Sequence[str] = ()) -> Network:
    """Read a NeuroSim ``NetWork.csv`` (8 integer columns per row, no header).

    Blank lines are skipped.  Raises `NetworkError` with a one-line message naming the file,
    the 1-based row and the field on malformed input; `FileNotFoundError` if it is missing.
    """
    source = str(path)
    text = Path(path).read_text()
    layers = []
    for row_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != len(CSV_FIELDS):
            raise NetworkError(
                f"{source}: row {row_number}: expected {len(CSV_FIELDS)} fields "
                f"({', '.join(CSV_FIELDS)}), found {len(cells)}")
        values = [_parse_field(cell, source, row_number, field) for cell, field in zip(cells, CSV_FIELDS)]
        h, w, c, kh, kw, cout, pool, stride = values
        try:
            layers.append(LayerSpec(h, w, c, kh, kw, cout, bool(pool), stride))
        except NetworkError as exc:
            raise NetworkError(f"{source}: row {row_number}: {exc}") from None
    if not layers:
        raise NetworkError(f"{source}: no layers found (expected rows of {len(CSV_FIELDS)} integers)")
    try:
        return Network(tuple(layers), tuple(names))
    except NetworkError as exc:
        raise NetworkError(f"{source}: {exc}") from None
