"""The reference-table helpers of ``benchmarks/reference_table.py`` and ``benchmarks/_common.py``
(outside the model package)."""
import sys
from pathlib import Path

_BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")
if _BENCHMARKS not in sys.path:
    sys.path.insert(0, _BENCHMARKS)

from _common import relative_error  # noqa: E402,F401
from reference_table import (CHIP_METRICS, LAYER_METRICS, read_reference_results,  # noqa: E402,F401
                             reference_hardware_config)
