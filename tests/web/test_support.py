"""The support page: when and how to find a therapist, and the operator's list of services."""

from __future__ import annotations

import re

from django.urls import reverse

from attunement import safety
from web.conftest import client_for
from web.matrix_data import normalise
from web.test_journal import text_of


def test_the_support_page_says_when_to_go_as_a_couple_and_when_alone_first(db):
    page = text_of(client_for(None).get(reverse("core:support")))
    assert "When a couples therapist could help" in page
    assert "When to see someone on your own first" in page
    assert "attachment-based and relational approaches" in page
    assert "not therapy" in page


def test_every_service_in_the_resource_file_is_listed_with_its_group(db):
    page = text_of(client_for(None).get(reverse("core:support")))
    resources = safety.current()
    for group in resources.groups.values():
        assert group.title in page
        for entry in group.entries:
            assert entry.name.replace("&", "&amp;") in page  # text_of unescapes quotes only
    assert "Finding a therapist" in page  # the operator's directories


def test_the_page_loads_nothing_from_elsewhere(db):
    page = client_for(None).get(reverse("core:support")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    loaded = re.findall(r'src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert all(s.startswith("/") for s in loaded), loaded
    assert any(s.startswith("https://") for s in sources)  # services are plain links


def test_the_page_is_the_same_for_everyone_whatever_their_screens(alex, sam, couple):
    from web.matrix_data import give_answers

    before = normalise(client_for(sam).get(reverse("core:support")).content)
    give_answers(alex, {"hark": {"H": 0, "A": 1, "R": 0, "K": 0, "C": 0}})
    give_answers(sam, {"hark": {"H": 1, "A": 1, "R": 0, "K": 0, "C": 1}})
    after = normalise(client_for(sam).get(reverse("core:support")).content)
    assert before == after
