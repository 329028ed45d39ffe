"""The norms format declared as pydantic models: the shipped norms.yaml fits it."""

import importlib

import pytest
import yaml
from pydantic import ValidationError

from attunement.progress.norms_schema import NormsFileSpec

reliable_change = importlib.import_module("attunement.progress.reliable_change")


def _shipped() -> dict:
    return yaml.safe_load(reliable_change.NORMS_FILE.read_text(encoding="utf-8"))


def test_the_shipped_norms_fit_the_declared_format():
    spec = NormsFileSpec.model_validate(_shipped())

    assert {(i, s) for i, scales in spec.root.items() for s in scales} == set(
        reliable_change.norms()
    )


def test_the_declared_format_forbids_an_unknown_key_in_a_norm():
    data = _shipped()
    data["csi4"]["total"]["alpha"] = 0.9

    with pytest.raises(ValidationError) as excinfo:
        NormsFileSpec.model_validate(data)

    # (norms.yaml shares the CSI-4 total's norm with the check-in's through a YAML anchor)
    assert ("csi4", "total", "alpha") in [e["loc"] for e in excinfo.value.errors()]
    assert all(e["type"] == "extra_forbidden" for e in excinfo.value.errors())
