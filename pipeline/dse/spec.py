"""Sweep files (``conf/sweep/<name>.yaml``) -> design points.

A sweep file is either the one-parameter form (kept as it was)::

    name: adc
    param: array.adc_bits
    values: [3, 4, 5, 6, 7, 8]

or the multi-parameter form::

    name: rram_grid
    base: [device=rram]                 # overrides every point gets (optional)
    params:                             # grid product of the listed levels
      array.adc_bits: [3, 4, 5]
      array.cell_bit: [1, 2, 4]
      array.rows: [64, 128, 256]
    constraints: ["cell_bit <= adc_bits"]   # keep a point only when every expression holds
    sample: {method: lhs, n: 50, seed: 0}   # optional: random / Latin-hypercube sample instead of the grid
    mc_seeds: 1                         # Monte-Carlo device-variation draws per point (infer jobs)
    accuracy: true                      # false: estimate-only sweep (no hardware-aware inference)
    chunk_size: 16                      # design points per estimate job (default: see `default_chunk_size`)
    radar: [{array.rows: 64}, ...]      # designs in the radar chart (default: the Pareto front)

With ``sample``, a parameter may also be a continuous range ``{low: 1e4, high: 1e6, log: true}``
(``int: true`` rounds to integers).  Parameters are Hydra overrides: ``group.field`` or a whole
``group`` (``device: [sram, rram]``).  Constraints are Python comparisons over the parameter
names (full ``array.cell_bit`` or the short ``cell_bit`` when unambiguous; an unswept field reads
its value from the base config) and are evaluated by a small AST walker, never ``eval``.

Every mistake is one line naming ``conf/sweep/<name>.yaml``, the parameter and what is allowed.
"""
from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import yaml

from ..flow.config import CONF_DIR, PipelineConfigError, _digest, format_value

__all__ = ["SweepSpecError", "Param", "Sample", "SweepSpec", "Point", "load_spec", "sweep_names",
           "format_value", "default_chunk_size", "chunks"]

FIELDS = ("name", "description", "param", "values", "params", "base", "constraints", "sample", "mc_seeds", "accuracy",
          "chunk_size", "radar")
SAMPLE_METHODS = ("random", "lhs")


class SweepSpecError(PipelineConfigError):
    """A bad sweep file (one line: the file, the parameter, what is allowed)."""


@dataclass(frozen=True)
class Param:
    name: str
    values: tuple = ()                 # discrete levels (grid, or sampled uniformly)
    low: float | None = None           # continuous range (samples only)
    high: float | None = None
    log: bool = False
    integer: bool = False

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def is_range(self) -> bool:
        return self.low is not None

    def level(self, u: float):
        """The parameter value at quantile ``u`` in [0, 1)."""
        if not self.is_range:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.log:
            v = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            v = self.low + u * (self.high - self.low)
        return int(round(v)) if self.integer else float(f"{v:.6g}")


@dataclass(frozen=True)
class Sample:
    method: str
    n: int
    seed: int = 0


@dataclass(frozen=True)
class Point:
    """One design point: its swept values and the full override list that composes it."""

    values: tuple[tuple[str, Any], ...]
    overrides: tuple[str, ...]

    @property
    def id(self) -> str:
        return _digest(list(self.overrides))

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)

    @property
    def label(self) -> str:
        if len(self.values) == 1:
            return format_value(self.values[0][1])
        return ", ".join(f"{k.rsplit('.', 1)[-1]}={format_value(v)}" for k, v in self.values)


@dataclass(frozen=True)
class SweepSpec:
    name: str
    path: str
    params: tuple[Param, ...]
    base: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    sample: Sample | None = None
    mc_seeds: int = 1
    accuracy: bool = True              # false: estimate-only (no infer jobs; Pareto over the hardware figures)
    chunk_size: int | None = None
    radar: tuple[tuple[tuple[str, Any], ...], ...] = ()
    description: str = ""
    legacy: bool = False               # the one-parameter `param:`/`values:` form
    _points: list = field(default_factory=list, compare=False, repr=False)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def points(self, overrides: Sequence[str] = ()) -> list[Point]:
        """The design points, in a deterministic order; ``overrides`` go before the sweep's own."""
        prefix = tuple(overrides) + self.base
        return [Point(tuple(zip(self.param_names, combo)),
                      prefix + tuple(f"{n}={format_value(v)}" for n, v in zip(self.param_names, combo)))
                for combo in self.combos()]

    def combos(self) -> list[tuple]:
        if self.sample is None:
            combos = list(itertools.product(*(p.values for p in self.params)))
            kept = [c for c in combos if self._accept(c)]
            if not kept:
                raise SweepSpecError(f"{self.path}: the constraints {list(self.constraints)} leave no design point "
                                     f"of the {len(combos)} in the grid; allowed: constraints some point satisfies")
            return kept
        return self._sampled()

    # ---- sampling -------------------------------------------------------------------------
    def _space_size(self) -> float:
        if any(p.is_range for p in self.params):
            return math.inf
        return float(np.prod([len(set(p.values)) for p in self.params]))

    def _sampled(self) -> list[tuple]:
        s = self.sample
        rng = np.random.default_rng(s.seed)
        chosen: list[tuple] = []
        seen: set = set()
        for _ in range(200):  # rounds of candidates until n distinct points satisfy the constraints
            m = max(s.n, 8)
            if s.method == "lhs":
                # Latin hypercube: each parameter's [0, 1) cut into m strata, one draw per stratum,
                # strata paired across parameters by independent permutations (McKay et al. 1979)
                u = np.stack([(rng.permutation(m) + rng.random(m)) / m for _ in self.params], axis=1)
            else:
                u = rng.random((m, len(self.params)))
            for row in u:
                combo = tuple(p.level(float(x)) for p, x in zip(self.params, row))
                if combo in seen:
                    continue
                seen.add(combo)
                if self._accept(combo):
                    chosen.append(combo)
                    if len(chosen) == s.n:
                        return chosen
        size = self._space_size()
        raise SweepSpecError(f"{self.path}: sample n={s.n} but only {len(chosen)} distinct design points satisfy "
                             f"the constraints (space of {size:g} points); allowed: n <= {len(chosen)}")

    # ---- constraints ----------------------------------------------------------------------
    def _accept(self, combo: tuple) -> bool:
        if not self.constraints:
            return True
        env = dict(zip(self.param_names, combo))
        return all(_Evaluator(env, self._fallback, self.path, expr).run() for expr in self.constraints)

    def _fallback(self, name: str):
        """Value of an unswept field named in a constraint: from the composed base config."""
        from ..flow.plan import compose

        flow = compose(list(self.base))
        group, _, fld = name.partition(".")
        if fld and hasattr(flow, group) and hasattr(getattr(flow, group), fld):
            return getattr(getattr(flow, group), fld)
        matches = [(g, getattr(getattr(flow, g), name)) for g in ("array", "device", "tech", "chip", "train",
                                                                  "network", "data") if hasattr(getattr(flow, g), name)]
        if len(matches) == 1:
            return matches[0][1]
        raise SweepSpecError(f"{self.path}: constraint name '{name}' is neither a swept parameter nor a config field; "
                             f"allowed: {', '.join(self.param_names)} (or their short names) or group.field")


_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_CMPOPS = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
           ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.In: lambda a, b: a in b,
           ast.NotIn: lambda a, b: a not in b}


class _Evaluator:
    """Evaluate one constraint expression over a point's values (comparisons, arithmetic, and/or/not)."""

    def __init__(self, env: dict, fallback, path: str, expr: str):
        self.env, self.fallback, self.path, self.expr = env, fallback, path, expr

    def fail(self, why: str):
        raise SweepSpecError(f"{self.path}: constraint '{self.expr}': {why}; allowed: comparisons (< <= == != >= > "
                             f"in), + - * / // % **, and/or/not over the parameters {', '.join(self.env)}")

    def run(self) -> bool:
        try:
            tree = ast.parse(str(self.expr), mode="eval")
        except SyntaxError:
            self.fail("not a valid expression")
        return bool(self.visit(tree.body))

    def lookup(self, name: str):
        if name in self.env:
            return self.env[name]
        short = [k for k in self.env if k.rsplit(".", 1)[-1] == name]
        if len(short) == 1:
            return self.env[short[0]]
        if len(short) > 1:
            self.fail(f"'{name}' is ambiguous ({', '.join(short)})")
        return self.fallback(name)

    def visit(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Attribute):
            parts = []
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if not isinstance(node, ast.Name):
                self.fail("unsupported name")
            return self.lookup(".".join([node.id] + parts[::-1]))
        if isinstance(node, (ast.Tuple, ast.List)):
            return tuple(self.visit(e) for e in node.elts)
        if isinstance(node, ast.BoolOp):
            vals = (self.visit(v) for v in node.values)
            return all(vals) if isinstance(node.op, ast.And) else any(vals)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            v = self.visit(node.operand)
            return (not v) if isinstance(node.op, ast.Not) else -v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = self.visit(comp)
                try:
                    ok = _CMPOPS[type(op)](left, right)
                except TypeError:
                    self.fail(f"cannot compare {left!r} with {right!r}")
                if not ok:
                    return False
                left = right
            return True
        self.fail(f"unsupported syntax '{ast.unparse(node)}'")


# ---------------------------------------------------------------------------------------------
# loading and validation
# ---------------------------------------------------------------------------------------------
def sweep_names(conf_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (Path(conf_dir or CONF_DIR) / "sweep").glob("*.yaml"))


def _err(path: str, what: str, value, allowed: str) -> SweepSpecError:
    return SweepSpecError(f"{path}: {what} = {value!r} is not allowed; allowed: {allowed}")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_value(path: str, pname: str, value) -> None:
    """One level of a parameter: checked against the config's own per-field validation (no Hydra)."""
    from ..flow import config as C

    ov = f"{pname}={format_value(value)}"
    try:
        C._check_overrides([ov])
    except PipelineConfigError as exc:
        msg = str(exc).split(": ", 1)[-1]
        raise SweepSpecError(f"{path}: parameter '{pname}' value {value!r}: {msg}") from None
    group, _, fld = pname.partition(".")
    cls = getattr(C, "_GROUP_TYPES", {}).get(group)
    if fld and cls is not None and "." not in fld:
        from pydantic import ValidationError

        try:
            cls(**{fld: value})  # the field's declared type and range (cross-field rules: per point, later)
        except ValidationError:
            raise SweepSpecError(f"{path}: {ov}: field '{pname}' = {value!r} is not allowed; allowed: "
                                 f"{C.allowed_text(cls, fld)}") from None


def _num(v):
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def _parse_param(path: str, name, raw, sampled: bool) -> Param:
    if not isinstance(name, str) or not name:
        raise _err(path, "parameter name", name, "group.field (e.g. array.adc_bits) or a config group (e.g. device)")
    if isinstance(raw, dict):
        if not sampled:
            raise _err(path, f"parameter '{name}'", raw, "a list of values (ranges {low, high} need a `sample:`)")
        unknown = set(raw) - {"low", "high", "log", "int"}
        if unknown or "low" not in raw or "high" not in raw:
            raise _err(path, f"parameter '{name}'", raw, "a list of values or {low: x, high: y, log: bool, int: bool}")
        low, high = (_num(raw["low"]), _num(raw["high"]))  # YAML 1.1 reads 1.0e4 as a string
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)) and low < high
        if not ok or (raw.get("log") and low <= 0):
            raise _err(path, f"parameter '{name}' range", raw, "numbers low < high (low > 0 with log: true)")
        p = Param(name, low=float(low), high=float(high), log=bool(raw.get("log", False)),
                  integer=bool(raw.get("int", False)))
        for v in (p.level(0.0), p.level(0.999999)):
            _check_value(path, name, v)
        return p
    if not isinstance(raw, list) or not raw:
        raise _err(path, f"parameter '{name}' values", raw, "a non-empty list of values")
    if len(set(map(format_value, raw))) != len(raw):
        raise _err(path, f"parameter '{name}' values", raw, "distinct values")
    for v in raw:
        if isinstance(v, (list, dict)) or v is None and "." not in name:
            raise _err(path, f"parameter '{name}' value", v, "scalars")
        _check_value(path, name, v)
    return Param(name, values=tuple(raw))


def load_spec(name: str, conf_dir: Path | None = None, overrides: Sequence[str] = ()) -> SweepSpec:
    """Read and validate ``conf/sweep/<name>.yaml`` (no Hydra composition: cheap at Snakefile parse);
    ``sweep.<field>=<value>`` among ``overrides`` replaces that field of the file (as Hydra would)."""
    from ..flow import config as C

    conf_dir = Path(conf_dir or C.CONF_DIR)
    file = conf_dir / "sweep" / f"{name}.yaml"
    path = f"conf/sweep/{name}.yaml"
    if not file.exists():
        raise SweepSpecError(f"{path}: no such sweep file; allowed: {', '.join(sweep_names(conf_dir))}")
    try:
        raw = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as exc:
        raise SweepSpecError(f"{path}: not valid YAML ({' '.join(str(exc).split())[:200]})") from None
    if not isinstance(raw, dict):
        raise _err(path, "content", type(raw).__name__, "a mapping of " + ", ".join(FIELDS))
    for ov in overrides:
        key, _, value = str(ov).lstrip("+~").partition("=")
        if key.startswith("sweep."):
            try:
                raw[key[len("sweep."):]] = yaml.safe_load(value)
            except yaml.YAMLError:
                raise SweepSpecError(f"override '{ov}': not a valid value") from None
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise SweepSpecError(f"{path}: unknown field '{unknown[0]}'; allowed: {', '.join(FIELDS)}")
    legacy = "param" in raw or "values" in raw
    if legacy and "params" in raw:
        raise SweepSpecError(f"{path}: both 'param'/'values' and 'params' given; allowed: one of the two forms")
    sample = None
    if raw.get("sample") is not None:
        s = raw["sample"]
        if not isinstance(s, dict) or set(s) - {"method", "n", "seed"}:
            raise _err(path, "sample", s, "{method: random|lhs, n: N, seed: S}")
        method = s.get("method", "lhs")
        if method not in SAMPLE_METHODS:
            raise _err(path, "sample.method", method, ", ".join(SAMPLE_METHODS))
        if not _is_int(s.get("n")) or s["n"] < 1:
            raise _err(path, "sample.n", s.get("n"), "a positive integer")
        if not _is_int(s.get("seed", 0)):
            raise _err(path, "sample.seed", s.get("seed"), "an integer")
        sample = Sample(method, s["n"], s.get("seed", 0))
    if legacy:
        param = raw.get("param")
        head, _, fld = str(param).partition(".")
        if not isinstance(param, str) or head not in C._GROUP_TYPES or head == "sweep" or (
                fld and fld not in {f.name for f in dataclasses.fields(C._GROUP_TYPES[head])}):
            raise SweepSpecError(f"{path}: field 'sweep.param' = {param!r} is not allowed; allowed: a config group "
                                 "(device, tech, ...) or group.field (e.g. array.adc_bits)")
        params = (_parse_param(path, raw["param"], raw.get("values"), sample is not None),)
    else:
        ps = raw.get("params")
        if not isinstance(ps, dict) or not ps:
            raise _err(path, "params", ps, "a mapping parameter -> list of values (or param: + values:)")
        params = tuple(_parse_param(path, k, v, sample is not None) for k, v in ps.items())
    base = raw.get("base") or []
    if isinstance(base, str):
        base = [base]
    if not isinstance(base, list) or not all(isinstance(b, str) and "=" in b for b in base):
        raise _err(path, "base", raw.get("base"), "a list of overrides key=value")
    swept = {p.name for p in params}
    for b in base:
        key = b.split("=", 1)[0]
        if key in swept:
            raise SweepSpecError(f"{path}: base override '{b}' sets the swept parameter '{key}'; allowed: "
                                 f"overrides of unswept fields")
        _check_value(path, key, yaml.safe_load(b.split("=", 1)[1]))
    constraints = raw.get("constraints") or []
    if isinstance(constraints, str):
        constraints = [constraints]
    if not isinstance(constraints, list) or not all(isinstance(c, str) for c in constraints):
        raise _err(path, "constraints", raw.get("constraints"), "a list of expressions, e.g. 'cell_bit <= adc_bits'")
    mc = raw.get("mc_seeds", 1)
    if not _is_int(mc) or mc < 1:
        raise _err(path, "mc_seeds", mc, "a positive integer (1: one hardware-aware inference per point)")
    accuracy = raw.get("accuracy", True)
    if not isinstance(accuracy, bool):
        raise _err(path, "accuracy", accuracy, "true, false (false: estimate-only, no hardware-aware inference)")
    chunk = raw.get("chunk_size")
    if chunk is not None and (not _is_int(chunk) or chunk < 1):
        raise _err(path, "chunk_size", chunk, "a positive integer or null (automatic)")
    radar = raw.get("radar") or []
    if not isinstance(radar, list) or not all(isinstance(r, dict) and set(r) <= swept for r in radar):
        raise _err(path, "radar", raw.get("radar"), f"a list of mappings over the swept parameters {sorted(swept)}")
    if "name" in raw and raw["name"] != name:
        raise _err(path, "name", raw["name"], f"'{name}' (the file's name)")
    spec = SweepSpec(name=name, path=path, params=params, base=tuple(base), constraints=tuple(constraints),
                     sample=sample, mc_seeds=mc, accuracy=accuracy, chunk_size=chunk,
                     radar=tuple(tuple(sorted(r.items())) for r in radar),
                     description=str(raw.get("description", "")), legacy=legacy)
    spec.combos()  # constraint syntax and emptiness errors now, not in a job
    return spec


def default_chunk_size(n_points: int, cores: int) -> int:
    """Points per estimate job: enough jobs to keep ``cores`` busy twice over (load balance), but at
    least 8 points per job so that a Slurm job is not a few seconds of work behind minutes of queueing."""
    return max(8, math.ceil(n_points / max(1, 2 * cores)))


def chunks(n_points: int, size: int) -> list[range]:
    return [range(i, min(i + size, n_points)) for i in range(0, n_points, size)]
