import pytest

from attunement.instruments import library


@pytest.fixture
def csi4():
    return library.get("csi4")
