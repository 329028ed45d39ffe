"""The instrument format declared as pydantic models: shipped files fit it, docs describe it."""

import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from attunement.datafiles import allowed_keys
from attunement.instruments import library
from attunement.instruments.schema import InstrumentSpec, ItemSpec, ScaleSpec

SHIPPED = sorted(library.DEFINITIONS.glob("*.yaml"))
DOCS = Path(__file__).resolve().parent.parent / "docs" / "instruments.md"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_file_fits_the_declared_format(path: Path):
    spec = InstrumentSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))

    assert spec.id == path.stem
    assert all(isinstance(item.id, str) for item in spec.items)


def test_the_declared_format_forbids_unknown_keys_at_every_level():
    data = yaml.safe_load((library.DEFINITIONS / "csi4.yaml").read_text(encoding="utf-8"))
    data["scales"][0]["cutoff"] = 9

    with pytest.raises(ValidationError) as excinfo:
        InstrumentSpec.model_validate(data)

    assert [e["loc"] for e in excinfo.value.errors()] == [("scales", 0, "cutoff")]


def _documented_fields(heading: str) -> set[str]:
    section = DOCS.read_text(encoding="utf-8").split(f"### {heading}\n", 1)[1].split("\n### ")[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


@pytest.mark.parametrize(
    ("heading", "model"),
    [("Top level", InstrumentSpec), ("Items", ItemSpec), ("Scales", ScaleSpec)],
)
def test_the_docs_describe_the_fields_the_models_declare(heading: str, model: type[BaseModel]):
    assert _documented_fields(heading) == allowed_keys(model)
