"""Per-layer traces (weights and activations) and their mapping onto the CIM arrays.

A trace holds, for one layer of one inference, the integer weight codes and the unrolled
(im2col) activation codes, in the same row order as the reference wrapper's CSV files
(row ``r = c_in*K_H*K_W + k_h*K_W + k_w``; see ``tests/data/README.md`` and
``shared/reference/README.md``).  Two stored forms are read:

* the compact form ``<i>_<name>.npz`` (``weight_q`` int (rows, C_out) with w = q/2^(wbits-1),
  ``input_q`` int (rows, n_windows) with x = c/2^(abits-1)) -- `load_npz_dir`;
* the reference wrapper's CSV pair ``weight<name>.csv`` (floats, ``%10.5f``) and
  ``input<name>.csv`` (``0``/``1`` bits, column ``j*abits + b``, b = 0 the sign bit, the rest
  MSB first) -- `load_reference_csv`; `write_reference_csv` writes that format byte for byte.

What the hardware model consumes follows the NeuroSim V1.4 Chip.cpp model
(``LoadInWeightData`` / ``LoadInInputData``):

* `weight_cell_codes`: each weight becomes ``num_col_per_synapse = ceil(synapse_bits/cell_bit)``
  adjacent cells holding base-2^cell_bit digits of the offset code
  ``value = int(2^sb/(wmax-wmin)*(w-wmax) + 2^sb +- 0.5)`` (rounded half away from zero), most
  significant digit first.  Cells are kept as ``uint8`` codes; `conductance_lut` gives each
  code's conductance ``G = code/(2^cell_bit-1)*(Gmax-Gmin)+Gmin`` (the model's formula and
  evaluation order), so a conductance matrix is ``lut[codes]`` when one is really needed.
* `input_bit_matrix`: the input bit matrix, ``uint8`` 0/1 of shape (rows, n_windows*abits),
  column ``j*abits + b`` = bit b (MSB/sign first) of the two's-complement code of window j.

Reference quirks the chip model must reproduce (helpers below):

* `num_in_vector`: the model evaluates only the first ``((H-K_H+1)/s)*(W-K_W+1)/s`` windows
  (the model's double arithmetic, left to right, truncated; one formula with
  `neurosim_core.network.LayerSpec.num_in_vectors`) even though the same-padded trace has H*W of them
  (900 of 1024 for a 32x32 3x3 conv).  Pass that count to `input_bit_matrix`.
* `novel_mapping_rows`: under novel mapping the model regroups weight/input rows as if they were
  kernel-position-major (``k*C_in + c_in``) although the files are c_in-major; the helper gives
  the exact row indices the model's ``ReshapeArray``/``ReshapeInput`` pick, in order (quirk
  ``novel_mapping_row_order``; the consistent grouping otherwise).
"""
from __future__ import annotations

import math
import re
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .network import num_in_vector

__all__ = [
    "TraceError",
    "LayerTrace",
    "load_npz_dir",
    "load_reference_csv",
    "write_reference_csv",
    "weight_offset_codes",
    "weight_cell_codes",
    "conductance_lut",
    "input_bit_matrix",
    "num_in_vector",
    "novel_mapping_rows",
    "shared_decoding",
]


class TraceError(ValueError):
    """A trace file is missing or malformed.  The message is one line naming the file."""


@dataclass(frozen=True)
class LayerTrace:
    """One layer's trace.

    ``weight_q``: int array (rows, c_out) of weight codes q, w = q / 2^(wbits-1).
    ``input_q``: int array (rows, n_windows) of activation codes c, x = c / 2^(abits-1)
    (two's complement within ``abits`` bits).  ``net_row`` is the NetWork.csv row
    (H, W, C_in, K_H, K_W, C_out, pool, stride) when known.
    """

    name: str
    weight_q: np.ndarray
    input_q: np.ndarray
    wbits: int
    abits: int
    net_row: tuple[int, ...] | None = None

    @property
    def rows(self) -> int:
        return int(self.weight_q.shape[0])

    @property
    def c_out(self) -> int:
        return int(self.weight_q.shape[1])

    @property
    def n_windows(self) -> int:
        return int(self.input_q.shape[1])


# --------------------------------------------------------------------------------------------
# loading and writing
# --------------------------------------------------------------------------------------------

_NPZ_NAME = re.compile(r"^(\d+)_(.+)\.npz$")


def _code_dtype(bits: int) -> type:
    return np.int8 if bits <= 8 else np.int16 if bits <= 16 else np.int32


def _check_trace(trace: LayerTrace, source: str) -> None:
    w, x = trace.weight_q, trace.input_q
    if w.ndim != 2 or x.ndim != 2:
        raise TraceError(f"{source}: weight_q and input_q must be 2-D, got shapes {w.shape} and {x.shape}")
    if w.shape[0] != x.shape[0]:
        raise TraceError(f"{source}: weight_q has {w.shape[0]} rows but input_q has {x.shape[0]}")
    if not (1 <= trace.wbits <= 16 and 1 <= trace.abits <= 16):
        raise TraceError(f"{source}: wbits={trace.wbits}, abits={trace.abits} must be within 1..16")
    qmax = 2 ** (trace.wbits - 1)
    if w.size and (w.min() < -qmax or w.max() > qmax):
        raise TraceError(f"{source}: weight codes must be within [-{qmax}, {qmax}] for wbits={trace.wbits}")
    cmax = 2 ** (trace.abits - 1)
    if x.size and (x.min() < -cmax or x.max() > cmax - 1):
        raise TraceError(f"{source}: input codes must be within [-{cmax}, {cmax - 1}] for abits={trace.abits}")


def load_npz_dir(directory: str | Path) -> list[LayerTrace]:
    """Read every ``<i>_<name>.npz`` in ``directory``, ordered by ``i``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TraceError(f"{directory}: trace directory not found")
    found = []
    for path in directory.iterdir():
        m = _NPZ_NAME.match(path.name)
        if m:
            found.append((int(m.group(1)), m.group(2), path))
    if not found:
        raise TraceError(f"{directory}: no '<index>_<name>.npz' trace files found")
    traces = []
    for _, name, path in sorted(found):
        try:
            with np.load(path) as z:
                missing = {"weight_q", "input_q", "wbits", "abits"} - set(z.files)
                if missing:
                    raise TraceError(f"{path}: missing array(s) {', '.join(sorted(missing))}")
                net_row = tuple(int(v) for v in z["net_row"]) if "net_row" in z.files else None
                trace = LayerTrace(name=name, weight_q=z["weight_q"], input_q=z["input_q"],
                                   wbits=int(z["wbits"]), abits=int(z["abits"]), net_row=net_row)
        except TraceError:
            raise
        except Exception as exc:  # zip/pickle/format errors from np.load
            raise TraceError(f"{path}: cannot read npz trace ({type(exc).__name__}: {exc})") from None
        _check_trace(trace, str(path))
        traces.append(trace)
    return traces


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TraceError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _parse_bit_csv(path: Path) -> np.ndarray:
    """A CSV of single '0'/'1' characters -> uint8 (rows, cols)."""
    raw = _read_bytes(path)
    if not raw:
        raise TraceError(f"{path}: empty input file")
    first = raw.find(b"\n")
    line_len = (first if first >= 0 else len(raw)) + 1
    if not raw.endswith(b"\n"):
        raw += b"\n"
    buf = np.frombuffer(raw, dtype=np.uint8)
    if line_len % 2 == 0 and buf.size % line_len == 0:  # fast path: 'd,d,...,d\n' rows
        grid = buf.reshape(-1, line_len)
        digits = grid[:, 0::2]
        seps = grid[:, 1::2]
        if (np.all(seps[:, :-1] == ord(",")) and np.all(seps[:, -1] == ord("\n"))
                and np.all((digits == ord("0")) | (digits == ord("1")))):
            return digits - np.uint8(ord("0"))
    # slow path: find and report the first malformed line
    rows = []
    ncols = None
    for lineno, line in enumerate(raw.decode("ascii", errors="replace").splitlines(), start=1):
        fields = line.split(",")
        if ncols is None:
            ncols = len(fields)
        elif len(fields) != ncols:
            raise TraceError(f"{path}: line {lineno} has {len(fields)} values, expected {ncols}")
        vals = [f.strip() for f in fields]
        bad = next((v for v in vals if v not in ("0", "1")), None)
        if bad is not None:
            raise TraceError(f"{path}: line {lineno}: value {bad!r} is not 0 or 1")
        rows.append([v == "1" for v in vals])
    return np.array(rows, dtype=np.uint8)


def _parse_float_csv(path: Path) -> np.ndarray:
    """A CSV of floats -> float64 (rows, cols); one-line error naming the first bad line."""
    if not path.is_file():
        raise TraceError(f"{path}: weight file not found")
    if path.stat().st_size == 0:
        raise TraceError(f"{path}: empty weight file")
    try:
        values = np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as exc:
        lines = _read_bytes(path).decode("ascii", errors="replace").splitlines()
        ncols = lines[0].count(",") + 1 if lines else 0
        for lineno, line in enumerate(lines, start=1):
            fields = line.split(",")
            if len(fields) != ncols:
                raise TraceError(f"{path}: line {lineno} has {len(fields)} values, expected {ncols}") from None
            for field in fields:
                try:
                    float(field)
                except ValueError:
                    raise TraceError(f"{path}: line {lineno}: value {field.strip()!r} is not a number") from None
        raise TraceError(f"{path}: malformed weight file ({str(exc).splitlines()[0]})") from None
    if not np.all(np.isfinite(values)):
        raise TraceError(f"{path}: contains non-finite weights")
    return values


def load_reference_csv(weight_csv: str | Path, input_csv: str | Path, wbits: int, abits: int,
                       name: str | None = None) -> LayerTrace:
    """Read one layer from the reference wrapper's CSV pair.

    Weights are turned into codes exactly as the model quantises them (``LoadInWeightData``
    with algoWeightMax/Min = +-1): ``q = int(2^(wbits-1)*(w+1) +- 0.5) - 2^(wbits-1)``.
    Input bits are packed back into two's-complement codes, window j = columns
    ``j*abits .. j*abits+abits-1``.
    """
    weight_csv, input_csv = Path(weight_csv), Path(input_csv)
    w = _parse_float_csv(weight_csv)
    if np.abs(w).max(initial=0.0) > 1.0:
        raise TraceError(f"{weight_csv}: weights must lie within [-1, 1]")
    offset = weight_offset_codes(w, wbits)
    weight_q = (offset - 2 ** (wbits - 1)).astype(_code_dtype(wbits + 1))
    bits = _parse_bit_csv(input_csv)
    if bits.shape[0] != w.shape[0]:
        raise TraceError(f"{input_csv}: has {bits.shape[0]} rows but {weight_csv.name} has {w.shape[0]}")
    if bits.shape[1] % abits:
        raise TraceError(f"{input_csv}: {bits.shape[1]} columns is not a multiple of abits={abits}")
    grouped = bits.reshape(bits.shape[0], -1, abits).astype(np.int64)
    place = 2 ** np.arange(abits - 1, -1, -1, dtype=np.int64)
    codes = grouped @ place
    codes = np.where(codes >= 2 ** (abits - 1), codes - 2 ** abits, codes)
    if name is None:
        name = re.sub(r"^weight", "", weight_csv.stem)
    trace = LayerTrace(name=name, weight_q=weight_q, input_q=codes.astype(_code_dtype(abits)),
                       wbits=wbits, abits=abits)
    _check_trace(trace, str(weight_csv))
    return trace


def write_reference_csv(trace: LayerTrace, weight_csv: str | Path, input_csv: str | Path) -> None:
    """Write the trace in the reference wrapper's CSV format (byte-identical to its files)."""
    w = trace.weight_q.astype(np.float64) / 2 ** (trace.wbits - 1)
    np.savetxt(weight_csv, w, delimiter=",", fmt="%10.5f")
    bits = input_bit_matrix(trace.input_q, trace.abits)
    rows, cols = bits.shape
    text = np.full((rows, 2 * cols), ord(","), dtype=np.uint8)
    text[:, 0::2] = bits + np.uint8(ord("0"))
    text[:, -1] = ord("\n")
    Path(input_csv).write_bytes(text.tobytes())


# --------------------------------------------------------------------------------------------
# trace -> hardware matrices (Chip.cpp LoadInWeightData / LoadInInputData model)
# --------------------------------------------------------------------------------------------

def weight_offset_codes(weights: np.ndarray, synapse_bits: int, algo_weight_max: float = 1.0,
                        algo_weight_min: float = -1.0) -> np.ndarray:
    """Real weights -> the model's non-negative integer codes (int64), before the cell split.

    ``newdata = 2^sb/(max-min)*(w-max) + 2^sb``, rounded half away from zero, truncated to int.
    """
    full = 2.0 ** synapse_bits
    newdata = full / (algo_weight_max - algo_weight_min) * (np.asarray(weights, dtype=np.float64)
                                                              - algo_weight_max) + full
    newdata = np.where(newdata >= 0, newdata + 0.5, newdata - 0.5)
    return np.trunc(newdata).astype(np.int64)


def weight_cell_codes(weight_q: np.ndarray, wbits: int, synapse_bits: int, cell_bit: int,
                      algo_weight_max: float = 1.0, algo_weight_min: float = -1.0) -> np.ndarray:
    """Weight codes -> uint8 cell codes (rows, c_out*num_col_per_synapse), MSB cell first (remembered
    per array inside `shared_decoding`).

    Column ``c*num_col_per_synapse + u`` holds digit u (most significant first) of weight c's
    offset code in base 2^cell_bit; digits beyond ``num_col_per_synapse`` are dropped as in the
    model (so w = +1, code 2^sb, wraps to all-zero cells).  Evaluated once per weight level and
    gathered, so the cost is one uint8 copy of the result.
    """
    return _remembered(weight_q, ("w", wbits, synapse_bits, cell_bit, algo_weight_max, algo_weight_min),
                       lambda: _weight_cell_codes(weight_q, wbits, synapse_bits, cell_bit, algo_weight_max,
                                                  algo_weight_min))


def _weight_cell_codes(weight_q, wbits, synapse_bits, cell_bit, algo_weight_max, algo_weight_min) -> np.ndarray:
    q = np.asarray(weight_q)
    half = 2 ** (wbits - 1)
    qmin, qmax = (int(q.min()), int(q.max())) if q.size else (0, 0)
    if qmin < -half or qmax > half:
        raise ValueError(f"weight codes must lie within [-{half}, {half}] for wbits={wbits}")
    levels = np.arange(-half, half + 1, dtype=np.int64)
    value = weight_offset_codes(levels / half, synapse_bits, algo_weight_max, algo_weight_min)
    if value[qmin + half:qmax + half + 1].min() < 0:
        raise ValueError("weights below algo_weight_min give negative cell codes; clip the trace first")
    ncps = math.ceil(synapse_bits / cell_bit)
    shifts = cell_bit * np.arange(ncps - 1, -1, -1, dtype=np.int64)
    digits = ((np.maximum(value, 0)[:, None] >> shifts) & (2 ** cell_bit - 1)).astype(np.uint8)
    if q.dtype == np.int8 and half == 128:  # the usual 8-bit trace: q + 128 is q's byte with the top bit flipped
        index = q.view(np.uint8) ^ np.uint8(0x80)
    else:
        index = q.astype(np.intp) + half
    return _gather_patterns(digits, index)


def conductance_lut(cell_bit: int, max_conductance: float, min_conductance: float) -> np.ndarray:
    """Conductance (S) of each cell code 0 .. 2^cell_bit-1: code/(2^cb-1)*(Gmax-Gmin)+Gmin."""
    cell_range = 2 ** cell_bit
    codes = np.arange(cell_range, dtype=np.float64)
    return codes / (cell_range - 1) * (max_conductance - min_conductance) + min_conductance


def input_bit_matrix(input_q: np.ndarray, abits: int, num_windows: int | None = None) -> np.ndarray:
    """Activation codes -> uint8 0/1 matrix (rows, n*abits); column j*abits+b = bit b of window j.

    b = 0 is the sign bit (two's complement MSB), then magnitude bits MSB first.  Only the
    first ``num_windows`` windows are kept (see `num_in_vector`); None keeps all.  Remembered per
    array inside `shared_decoding`.
    """
    return _remembered(input_q, ("x", abits, num_windows), lambda: _input_bit_matrix(input_q, abits, num_windows))


def _input_bit_matrix(input_q, abits, num_windows) -> np.ndarray:
    codes = np.asarray(input_q)
    if num_windows is not None:
        if num_windows > codes.shape[1]:
            raise ValueError(f"num_windows={num_windows} exceeds the trace's {codes.shape[1]} windows")
        codes = codes[:, :num_windows]
    patterns = np.arange(2 ** abits, dtype=np.int64)
    shifts = np.arange(abits - 1, -1, -1, dtype=np.int64)
    table = ((patterns[:, None] >> shifts) & 1).astype(np.uint8)  # bits of every code pattern
    if codes.dtype == np.int8 and abits == 8:  # the two's-complement pattern is the code's byte
        u = codes.view(np.uint8)
    else:
        u = codes.astype(np.intp) & (2 ** abits - 1)
    return _gather_patterns(table, u)


_PATTERN_ITEM = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _gather_patterns(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """uint8 (rows, cols*width): row ``table[index[r, c]]`` (``table``: (levels, width) uint8) at
    columns ``c*width .. c*width+width-1``.  Each pattern is one item of ``width`` bytes (an unsigned
    integer when width is 1, 2, 4 or 8 -- several times faster to gather than a void item)."""
    table = np.ascontiguousarray(table, dtype=np.uint8)
    width = table.shape[1]
    item = _PATTERN_ITEM.get(width, np.dtype((np.void, width)))
    packed = table.view(item).ravel()  # one item per pattern
    return packed[index].view(np.uint8).reshape(index.shape[0], -1)


def novel_mapping_rows(position_row: int, num_row: int, num_pe: int, weight_matrix_row: int, *,
                       kernel_position_major: bool = True) -> np.ndarray:
    """Row indices of the weights/inputs that PE k (0..num_pe-1) of a novel-mapped tile holds, in order.

    The PE of kernel position k holds channels ``position_row + i`` (i in 0..num_row-1).  In the
    trace's c_in-major row order that is row ``(position_row + i)*num_pe + k``.  V1.4's
    ``ReshapeArray``/``ReshapeInput`` read the rows as if they were kernel-position-major:
    ``position_row + k*weight_matrix_row + i`` (``kernel_position_major=True``, quirk
    ``novel_mapping_row_order``).
    """
    k = np.arange(num_pe, dtype=np.int64)[:, None]
    i = np.arange(num_row, dtype=np.int64)[None, :]
    if kernel_position_major:
        return (position_row + k * weight_matrix_row + i).reshape(-1)
    return ((position_row + i) * num_pe + k).reshape(-1)


# --------------------------------------------------------------------------------------------
# decoding shared by the design points of a batch
# --------------------------------------------------------------------------------------------

_SHARED: ContextVar["_DecodeMemo | None"] = ContextVar("neurosim_shared_decoding", default=None)


class _DecodeMemo:
    """Decoded matrices per (source array object, decoder arguments), least recently used first,
    at most ``max_bytes`` of results.  An entry holds its source array, so the array's ``id``
    cannot be reused while the entry exists."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict = OrderedDict()
        self.nbytes = 0

    def get(self, source, args: tuple, compute):
        key = (id(source), args)
        hit = self.entries.get(key)
        if hit is not None and hit[0] is source:
            self.entries.move_to_end(key)
            return hit[1]
        result = compute()
        result.setflags(write=False)  # shared by every later design point
        self.entries[key] = (source, result)
        self.nbytes += result.nbytes
        while self.nbytes > self.max_bytes and len(self.entries) > 1:
            _, (_, old) = self.entries.popitem(last=False)
            self.nbytes -= old.nbytes
        return result


def _remembered(source, args: tuple, compute) -> np.ndarray:
    memo = _SHARED.get()
    return compute() if memo is None else memo.get(source, args, compute)


@contextmanager
def shared_decoding(max_bytes: int = 1 << 30):
    """Within the block, `weight_cell_codes` and `input_bit_matrix` decode each (trace array,
    arguments) once: the design points of a batch that share a layer's synapse/cell bits (input
    bits, windows) share its cell codes (input bits).  The matrices returned are read-only; the
    trace arrays must not be modified inside the block.  At most ``max_bytes`` of decoded matrices
    are kept (least recently used dropped first).  Nested blocks share the outer block's memo."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set(_DecodeMemo(max_bytes))
    try:
        yield
    finally:
        _SHARED.reset(token)
