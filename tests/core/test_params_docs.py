"""The README documents every hardware field (unit, default, meaning) and every output column."""
from dataclasses import fields
from pathlib import Path

from neurosim_core.params import FIELD_DOCS, HardwareConfig, fields_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_hardware_field_is_documented():
    names = {f.name for f in fields(HardwareConfig)}
    assert set(FIELD_DOCS) == names
    assert all(meaning for _, meaning in FIELD_DOCS.values())


def test_readme_holds_the_generated_field_table():
    assert fields_markdown() in README.read_text(), "README field table is stale: python -m neurosim_core.params"


def test_readme_names_every_output_column():
    from pipeline.flow.schemas import CHIP_COLUMNS, LAYER_COLUMNS

    text = README.read_text()
    for column in set(CHIP_COLUMNS) | set(LAYER_COLUMNS):
        stem = column.split("_read_")[0] if column.startswith(("adc_", "accum_", "other_", "buffer_", "ic_")) else column
        assert f"`{column}`" in text or f"`{stem}_" in text, column
