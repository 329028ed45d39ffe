"""The safety resource format declared as pydantic models: the shipped file fits it."""

import pytest
import yaml
from pydantic import ValidationError

from attunement.datafiles import allowed_keys
from attunement.safety import resources
from attunement.safety.schema import EntrySpec, ResourceFileSpec


def _shipped() -> dict:
    return yaml.safe_load(resources.RESOURCE_FILE.read_text(encoding="utf-8"))


def test_the_shipped_resource_file_fits_the_declared_format():
    spec = ResourceFileSpec.model_validate(_shipped())

    assert set(resources.GROUPS) <= set(spec.resources)
    assert all(group.entries for group in spec.resources.values())


def test_the_declared_format_forbids_an_unknown_key_in_a_service():
    data = _shipped()
    data["resources"]["emergency"]["entries"][0]["email"] = "help@example.org"

    with pytest.raises(ValidationError) as excinfo:
        ResourceFileSpec.model_validate(data)

    assert [e["loc"] for e in excinfo.value.errors()] == [
        ("resources", "emergency", "entries", 0, "email")
    ]


def test_a_service_may_be_reached_by_each_way_the_reader_knows():
    assert set(resources.WAYS) <= allowed_keys(EntrySpec)
