import pytest
from hypothesis import settings

from attunement.instruments import library

# Shared 2-core machines stall now and then: a property's examples are judged on what
# they find, never on how long one took.
settings.register_profile("attunement", deadline=None)
settings.load_profile("attunement")


@pytest.fixture
def csi4():
    return library.get("csi4")


@pytest.fixture(autouse=True)
def _rules_only_unless_marked(request, monkeypatch):
    """Tests read the coach's and crisis words' rules alone, as written; the learned
    models (attunement.textmodel) join only in tests marked `model`, whose figures are
    measured on the corpus written by others rather than on sentences written here."""
    if request.node.get_closest_marker("model"):
        return
    monkeypatch.setattr("attunement.coach.analysis.load_model", lambda name: None)
    monkeypatch.setattr("attunement.safety.crisis.load_model", lambda name: None)
