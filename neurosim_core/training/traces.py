"""On-chip training traces: what DNN+NeuroSim V2.1's C++ reads per layer, and its three stored forms.

Per weight layer the V2.1 estimator reads four things (V2.1 ``main`` argv, 4 per layer; see
``tests/data/reference_v21/README.md``):

* the **new weights** (after the epoch's last training step, quantised ``Q(w, wbits)``),
* the **old weights** (before that step, continuous: ``param + grad``), whose conductance
  difference to the new ones is the weight-update write workload,
* the **input bits** of one image (im2col, *unpadded* windows first, then an all-zero tail), and
* the **activity** number (mean of every bit of the input file, zero tail included) that sizes the
  weight-gradient SRAM array's read/write activity.

`TrainingTrace` holds them in SI-free model units (weights in [-1, 1], activation codes).  Stored
forms read here:

* the compact ``<i>_<name>.npz`` (`load_training_npz_dir`): ``g_new``, ``m_new``, ``d`` int8 with
  ``p_new = g_new/2^(wbits-1) + m_new*1e-3``, new weight ``weight_q/2^(wbits-1)``, old weight
  ``p_new + d/2^(wbits-1)``; ``input_q`` (rows, H*W or 1); ``net_row``, ``wbits``, ``abits``;
* the reference wrapper's CSV layout (`load_training_csv_dir`): ``layer_record/weight<name>.csv``,
  ``weightOld<name>.csv`` (``%10.5f``), ``input<name>.csv`` (0/1) and the activities from
  ``argv.txt`` or ``layer_record/trace_command.sh``;
* our Parquet table ``train_traces.parquet`` (schema in ``pipeline/flow/schemas.py``; read there, since
  this package does not depend on pyarrow) -> `TrainingTrace` via `from_arrays`.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..traces import TraceError, _parse_bit_csv

__all__ = [
    "TrainingTrace",
    "TraceError",
    "load_training_npz_dir",
    "load_training_csv_dir",
    "input_activity",
    "parse_weight_csv",
]

_LAYER_NAMES_V21 = ("Conv0_", "Conv1_", "Conv3_", "Conv4_", "Conv6_", "Conv7_", "FC1_", "FC2_")


@dataclass(frozen=True)
class TrainingTrace:
    """One layer's training trace.

    ``weight_new`` / ``weight_old``: float64 (rows, c_out), row ``c_in*K_H*K_W + k_h*K_W + k_w``.
    ``input_q``: int (rows, n_windows) two's-complement activation codes (x = c / 2^(abits-1)).
    ``activity``: mean input bit (the V2.1 wrapper's number; the weight-gradient unit's activity).
    """

    name: str
    weight_new: np.ndarray
    weight_old: np.ndarray
    input_q: np.ndarray
    wbits: int
    abits: int
    activity: float
    net_row: tuple[int, ...] | None = None

    @property
    def rows(self) -> int:
        return int(self.weight_new.shape[0])

    @property
    def c_out(self) -> int:
        return int(self.weight_new.shape[1])

    @classmethod
    def from_arrays(cls, *, name: str, weight_new, weight_old, input_q, wbits: int, abits: int,
                    activity: float | None = None, net_row=None, source: str = "trace") -> "TrainingTrace":
        """Build and validate a trace; ``activity=None`` measures it from ``input_q``."""
        wn = np.ascontiguousarray(weight_new, dtype=np.float64)
        wo = np.ascontiguousarray(weight_old, dtype=np.float64)
        x = np.ascontiguousarray(input_q)
        if wn.ndim != 2 or wn.shape != wo.shape:
            raise TraceError(f"{source}: new weights {wn.shape} and old weights {wo.shape} must be the same 2-D shape")
        if x.ndim != 2 or x.shape[0] != wn.shape[0]:
            raise TraceError(f"{source}: input codes {x.shape} must have the weights' {wn.shape[0]} rows")
        if not (np.all(np.isfinite(wn)) and np.all(np.isfinite(wo))):
            raise TraceError(f"{source}: weights must be finite")
        if wn.size and (np.abs(wn).max() > 1.0 or np.abs(wo).max() > 1.0):
            raise TraceError(f"{source}: weights must lie within [-1, 1]")
        cmax = 2 ** (abits - 1)
        if x.size and (x.min() < -cmax or x.max() > cmax - 1):
            raise TraceError(f"{source}: input codes must be within [-{cmax}, {cmax - 1}] for abits={abits}")
        act = input_activity(x, abits) if activity is None else float(activity)
        if not 0.0 <= act <= 1.0:
            raise TraceError(f"{source}: activity {act} must lie within [0, 1]")
        row = tuple(int(v) for v in net_row) if net_row is not None else None
        return cls(name=name, weight_new=wn, weight_old=wo, input_q=x, wbits=int(wbits), abits=int(abits),
                   activity=act, net_row=row)


def input_activity(input_q: np.ndarray, abits: int) -> float:
    """Mean of every bit of the input file (all windows, zero tail included), as the V2.1 wrapper."""
    u = (np.asarray(input_q).astype(np.int64) & (2 ** abits - 1)).astype(np.uint8 if abits <= 8 else np.uint16)
    ones = int(np.unpackbits(u.view(np.uint8)).sum()) if abits <= 8 else int(
        sum(int(bin(int(v)).count("1")) for v in u.ravel()))
    total = u.size * abits
    return ones / total if total else 0.0


# --------------------------------------------------------------------------------------------
# npz
# --------------------------------------------------------------------------------------------
_NPZ_NAME = re.compile(r"^(\d+)_(.+)\.npz$")
_NPZ_ARRAYS = {"g_new", "m_new", "d", "input_q", "wbits", "abits"}


def _weights_from_codes(g: np.ndarray, m: np.ndarray, d: np.ndarray, wq: np.ndarray | None, wbits: int):
    """New and old weights from the npz codes, evaluated like the CSV text the C++ parses.

    With 2^(wbits-1) dividing 1e4 every value is an integer number of 1e-4 units; one division
    then gives the double nearest to the decimal text (what ``atof`` returns).
    """
    half = 2 ** (wbits - 1)
    if 10_000 % half == 0:
        step = 10_000 // half
        p_units = step * g.astype(np.int64) + 10 * m.astype(np.int64)
        old = (p_units + step * d.astype(np.int64)) / 1e4
    else:
        p = g / half + m * 1e-3
        old = p + d / half
        p_units = None
    if wq is None:
        wq = np.rint(p_units / step) if p_units is not None else np.rint((g / half + m * 1e-3) * half)
    new = np.asarray(wq, dtype=np.float64) / half
    return new, old


def load_training_npz_dir(directory: str | Path) -> list[TrainingTrace]:
    """Read every ``<i>_<name>.npz`` training trace in ``directory``, ordered by ``i``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TraceError(f"{directory}: trace directory not found")
    found = sorted((int(m.group(1)), m.group(2), p) for p in directory.iterdir()
                   if (m := _NPZ_NAME.match(p.name)))
    if not found:
        raise TraceError(f"{directory}: no '<index>_<name>.npz' trace files found")
    traces = []
    for _, name, path in found:
        try:
            with np.load(path) as z:
                missing = _NPZ_ARRAYS - set(z.files)
                if missing:
                    raise TraceError(f"{path}: missing array(s) {', '.join(sorted(missing))} (not a training trace?)")
                wbits, abits = int(z["wbits"]), int(z["abits"])
                new, old = _weights_from_codes(z["g_new"], z["m_new"], z["d"],
                                               z["weight_q"] if "weight_q" in z.files else None, wbits)
                x = z["input_q"]
                net_row = tuple(int(v) for v in z["net_row"]) if "net_row" in z.files else None
        except TraceError:
            raise
        except Exception as exc:  # zip / format errors from np.load
            raise TraceError(f"{path}: cannot read npz trace ({type(exc).__name__}: {exc})") from None
        traces.append(TrainingTrace.from_arrays(name=name, weight_new=new, weight_old=old, input_q=x, wbits=wbits,
                                                abits=abits, net_row=net_row, source=str(path)))
    return traces


# --------------------------------------------------------------------------------------------
# reference CSV layout
# --------------------------------------------------------------------------------------------
def parse_weight_csv(path: str | Path) -> np.ndarray:
    """A weight CSV -> float64 (rows, cols).

    Fast path for the wrapper's fixed-width ``%10.5f`` fields with |w| < 10 (value = integer
    number of 1e-5 units / 1e5, the double ``atof`` gives); anything else goes through
    ``np.loadtxt`` with a one-line error naming the first bad line.
    """
    path = Path(path)
    if not path.is_file():
        raise TraceError(f"{path}: weight file not found")
    raw = path.read_bytes()
    if not raw:
        raise TraceError(f"{path}: empty weight file")
    first = raw.find(b"\n")
    line_len = (first if first >= 0 else len(raw)) + 1
    if not raw.endswith(b"\n"):
        raw += b"\n"
    buf = np.frombuffer(raw, dtype=np.uint8)
    if line_len % 11 == 0 and buf.size % line_len == 0:
        f = buf.reshape(-1, line_len // 11, 11)
        digits = f[:, :, [3, 5, 6, 7, 8, 9]].astype(np.int64) - ord("0")
        sep_ok = np.all(f[:, :-1, 10] == ord(",")) and np.all(f[:, -1, 10] == ord("\n"))
        if (sep_ok and np.all(f[:, :, 4] == ord(".")) and np.all((digits >= 0) & (digits <= 9))
                and np.all(f[:, :, :2] == ord(" ")) and np.all((f[:, :, 2] == ord(" ")) | (f[:, :, 2] == ord("-")))):
            units = digits @ np.array([100000, 10000, 1000, 100, 10, 1], dtype=np.int64)
            sign = np.where(f[:, :, 2] == ord("-"), -1, 1)
            return sign * units / 1e5
    try:
        return np.loadtxt(path, delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise TraceError(f"{path}: malformed weight file ({str(exc).splitlines()[0]})") from None


def _bits_to_codes(bits: np.ndarray, abits: int, source: str) -> np.ndarray:
    if bits.shape[1] % abits:
        raise TraceError(f"{source}: {bits.shape[1]} columns is not a multiple of abits={abits}")
    grouped = bits.reshape(bits.shape[0], -1, abits).astype(np.int64)
    codes = grouped @ (2 ** np.arange(abits - 1, -1, -1, dtype=np.int64))
    return np.where(codes >= 2 ** (abits - 1), codes - 2 ** abits, codes).astype(np.int16)


def _activities(directory: Path) -> tuple[list[str], list[float]] | None:
    """(layer names, activities) from ``argv.txt`` (one argument per line) or trace_command.sh."""
    for path in (directory / "argv.txt", directory / "layer_record" / "argv.txt",
                 directory / "layer_record" / "trace_command.sh", directory / "trace_command.sh"):
        if path.is_file():
            text = path.read_text()
            args = text.split("\n") if path.name == "argv.txt" else shlex.split(text.replace("\\\n", " "))
            args = [a.strip() for a in args if a.strip()]
            names, acts = [], []
            for i, a in enumerate(args):
                m = re.search(r"input(.+)\.csv$", a)
                if m and i + 1 < len(args):
                    try:
                        acts.append(float(args[i + 1]))
                    except ValueError:
                        raise TraceError(f"{path}: activity after {a} is not a number: {args[i + 1]!r}") from None
                    names.append(m.group(1))
            if names:
                return names, acts
    return None


def load_training_csv_dir(directory: str | Path, *, wbits: int = 5, abits: int = 8,
                          names: tuple[str, ...] | None = None, net_rows=None) -> list[TrainingTrace]:
    """Read the wrapper's CSV layout: ``[layer_record/]{weight,weightOld,input}<name>.csv``.

    Layer names and activities come from ``argv.txt`` / ``trace_command.sh`` when present (else
    ``names`` or the V2.1 VGG-8 names, and the activity measured from the input bits).
    """
    directory = Path(directory)
    base = directory / "layer_record" if (directory / "layer_record").is_dir() else directory
    if not base.is_dir():
        raise TraceError(f"{directory}: trace directory not found")
    found = _activities(directory)
    if names is None:
        names = tuple(found[0]) if found else _LAYER_NAMES_V21
    acts = dict(zip(*found)) if found else {}
    traces = []
    for i, name in enumerate(names):
        new = parse_weight_csv(base / f"weight{name}.csv")
        old = parse_weight_csv(base / f"weightOld{name}.csv")
        bits_path = base / f"input{name}.csv"
        if not bits_path.is_file():
            raise TraceError(f"{bits_path}: input file not found")
        codes = _bits_to_codes(_parse_bit_csv(bits_path), abits, str(bits_path))
        row = net_rows[i] if net_rows is not None else None
        traces.append(TrainingTrace.from_arrays(name=name.rstrip("_"), weight_new=new, weight_old=old, input_q=codes,
                                                wbits=wbits, abits=abits, activity=acts.get(name), net_row=row,
                                                source=str(base / f"weight{name}.csv")))
    return traces
