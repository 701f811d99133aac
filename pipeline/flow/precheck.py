"""Checks that need the network's shape, before any job: the floorplan must fit the network.

The layer table (NetWork.csv rows) depends only on the architecture (network group, data set's
channels and image size), not on the trained weights, so it is derived once from an untrained model
(`pipeline.algo.models.network_table`) and cached under ``<results_dir>/.cache/network/`` (the first
check imports torch; later ones read the cache).  With it the floorplan is tried (milliseconds): a
subarray too large for the network is one line naming ``array.rows`` before training starts, not a
floorplan job failing after it.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from .config import FlowConfig, PipelineConfigError, _digest


def network_rows(flow: FlowConfig, results_dir: Path) -> list[tuple[int, ...]]:
    key = _digest({"network": dataclasses.asdict(flow.network), "data": flow.data.name})
    cache = Path(results_dir) / ".cache" / "network" / f"{key}.csv"
    if cache.is_file():
        try:
            return [tuple(int(v) for v in line.split(",")) for line in cache.read_text().split()]
        except ValueError:
            pass  # rebuilt below
    from ..algo.models import build_model, network_table
    from .stages import algo_configs

    model_cfg, train_cfg, _, _ = algo_configs(flow)
    rows = [tuple(int(v) for v in r) for r in network_table(build_model(model_cfg, train_cfg),
                                                              (model_cfg.in_channels, model_cfg.image_size,
                                                               model_cfg.image_size))]
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f".{cache.name}.tmp")
    tmp.write_text("".join(",".join(map(str, r)) + "\n" for r in rows))
    tmp.replace(cache)
    return rows


def check_floorplan(flow: FlowConfig, results_dir: Path, where: str | None = None) -> None:
    """Raise `PipelineConfigError` (one line) when the chip cannot be floorplanned for the network."""
    if where is None:
        where = next((f"override '{o}'" for o in reversed(flow.overrides) if o.startswith("array.rows=")),
                     "conf/array")
    from neurosim_core.floorplan import FloorplanError, floorplan
    from neurosim_core.network import LayerSpec, Network
    from neurosim_core.params import resolve

    rows = network_rows(flow, results_dir)
    network = Network(layers=tuple(LayerSpec(*r[:6], bool(r[6]), r[7]) for r in rows))
    try:
        floorplan(network, resolve(flow.hardware()))
    except FloorplanError as exc:
        msg = " ".join(str(exc).split()).replace("decrease num_row_subarray", "decrease array.rows")
        raise PipelineConfigError(f"{where}: field 'array.rows' = {flow.array.rows} does not fit network "
                                  f"'{flow.network.name}' (width x{flow.network.width_mult}): {msg}") from None


__all__ = ["network_rows", "check_floorplan"]
