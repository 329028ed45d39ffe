"""The Learn section: data checked whole, pages public and plain, linked from the practices."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from attunement import learn
from attunement.insight import words
from attunement.learn import LearnFileError
from attunement.practices import catalogue, flows
from web.conftest import client_for

TOPICS = {
    "rhythm": ["harmony", "disharmony", "repair"],
    "same-as": ["one up", "one down", "grandiosity", "shame", "same-as", "full respect"],
    "strategies": [
        "being right", "controlling", "unbridled self-expression", "retaliation", "withdrawal",
        "go after what you want", "love and respect", "listen responsively",
        "negotiate toward repair", "empower each other",
    ],
    "feedback-wheel": ["want to be closer", "what i made up", "letting go of the outcome"],
    "boundaries": ["protective boundary", "containing boundary"],
    "core-negative-image": ["worst picture", "worst-case image"],
    "adaptive-child": ["adaptive child", "wise adult"],
}  # fmt: skip


def text_of(page: learn.Page) -> str:
    parts = [page.title, page.summary]
    for section in page.sections:
        parts += [section.heading, *section.paragraphs, *section.points]
    return " ".join(parts).casefold().replace("needing to be right", "being right")


@pytest.mark.parametrize("page_id", TOPICS)
def test_each_idea_of_the_framework_has_a_page_that_names_its_parts(page_id):
    text = text_of(learn.get(page_id))
    for term in TOPICS[page_id]:
        assert term in text, (page_id, term)


def test_every_practice_and_finding_a_page_names_exists():
    findings_file = Path(words.__file__).with_name("findings.yaml")
    findings = set(yaml.safe_load(findings_file.read_text(encoding="utf-8")))
    for page in learn.pages():
        assert set(page.practices) <= set(catalogue()), page.id
        assert set(page.findings) <= findings, page.id
        assert learn.for_finding(page.findings[0])


def test_every_guided_flow_and_the_coach_and_journal_have_a_page():
    for practice in [*(f.id for f in flows.flows()), "message_coach", "reflection_journal"]:
        assert learn.for_practice(practice), practice


def test_no_page_claims_endorsement():
    for page in learn.pages():
        text = text_of(page)
        assert "endorse" not in text and "certified" not in text and "official" not in text
    assert "not been reviewed or endorsed" in learn.library().intro


def test_a_broken_file_reports_every_problem_with_its_place(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    doc = {
        "intro": "x",
        "pages": [
            {"id": "Bad Id", "title": "", "summary": "s", "sections": [{"heading": "h"}]},
            {"id": "ok", "title": "t", "summary": "s", "sections": [{"points": ["p"]}],
             "practices": ["no_such_practice"], "colour": "red"},
        ],
    }  # fmt: skip
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(LearnFileError) as caught:
        learn.load(path)
    found = {(p.where, p.field) for p in caught.value.problems}
    assert ("page #1", "id") in found
    assert ("page #1", "title") in found
    assert ("page #1, section #1", "paragraphs") in found
    assert ("page 'ok'", "practices") in found
    assert ("page 'ok'", "colour") in found


def test_an_unknown_page_is_a_lookup_error():
    with pytest.raises(LookupError):
        learn.get("no-such-page")


@pytest.mark.django_db
def test_the_pages_are_public_and_list_every_page():
    page = client_for(None).get("/learn/").content.decode()
    for found in learn.pages():
        assert f'href="/learn/{found.id}/"' in page and found.title in page


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", [p.id for p in learn.pages()])
def test_a_page_shows_its_words_escaped_and_says_it_is_not_endorsed(page_id):
    response = client_for(None).get(f"/learn/{page_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "have not reviewed or endorsed" in body
    assert "<script" not in body.split("</head>")[1]


@pytest.mark.django_db
def test_text_in_a_page_file_is_never_markup(monkeypatch):
    page = learn.get("rhythm")
    hostile = learn.Page(
        page.id, "<b>bold</b>", page.summary, page.sections, page.practices, page.findings
    )
    monkeypatch.setattr(learn, "get", lambda _: hostile)
    body = client_for(None).get("/learn/rhythm/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in body and "<b>bold</b>" not in body


@pytest.mark.parametrize(
    ("path", "page_id"),
    [
        ("/practice/flow/feedback_wheel/", "feedback-wheel"),
        ("/practice/flow/vulnerability_builder/", "adaptive-child"),
        ("/practice/flow/accountability_builder/", "rhythm"),
        ("/practice/coach/", "strategies"),
        ("/practice/about/stay_present/", "boundaries"),
        ("/journal/new/", "core-negative-image"),
    ],
)
def test_the_practices_link_to_the_ideas_behind_them(alex, path, page_id):
    body = client_for(alex).get(path).content.decode()
    assert f'href="/learn/{page_id}/"' in body


def test_the_menu_offers_learn_to_everyone(alex):
    for visitor in (None, alex):
        assert 'href="/learn/"' in client_for(visitor).get("/support/").content.decode()
