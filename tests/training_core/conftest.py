"""Shared fixtures of the training-estimator tests: the V2.1 golden table and the small traces."""
from __future__ import annotations

import csv
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
REF21 = DATA / "reference_v21"
TRACES21 = DATA / "traces_vgg8_train"
SHARED_TRACES21 = pathlib.Path("/work/shared/reference/traces_vgg8_train")

VGG8_V21 = [(32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1), (16, 16, 128, 3, 3, 256, 0, 1),
            (16, 16, 256, 3, 3, 256, 1, 1), (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
            (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)]


@pytest.fixture(scope="session")
def ref21() -> dict[str, dict[str, dict[str, str]]]:
    """config -> scope ('1'..'8', 'chip') -> column -> printed text."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    with open(REF21 / "results.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["config"], {})[row["scope"]] = row
    return table
