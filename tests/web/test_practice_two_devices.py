"""One draft open on two devices: a stale save is refused, shows the newer text, keeps the typed.

The step and message pages carry the draft's version in the form; the services
refuse a save based on an older one. Nothing the person typed is ever dropped: the
refused page holds it, and saving again (now from the newer version) keeps it.
"""

from __future__ import annotations

import re

from django.urls import reverse

from attunement.practices import flows
from attunement.web.practices import services
from web.conftest import client_for
from web.test_journal import text_of

WHEEL = flows.get("feedback_wheel")
REFUSED = "This draft was changed somewhere else"


def version_in(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def opened(client, url: str) -> str:
    return version_in(text_of(client.get(url)))


# A step


def test_a_stale_step_save_is_refused_shows_the_newer_answer_and_keeps_what_was_typed(alex):
    draft = services.start(alex, "feedback_wheel")
    url = reverse("practices:step", args=[draft.pk, 1])
    laptop, phone = client_for(alex), client_for(alex)
    version = opened(phone, url)
    typed_on_laptop = {"answer": "you left before dessert", "go": "next", "version": version}
    assert laptop.post(url, typed_on_laptop).status_code == 302

    typed_on_phone = {"answer": "you went home early", "go": "next", "version": version}
    response = phone.post(url, typed_on_phone)

    assert response.status_code == 200  # stays on the step: nothing moved on
    page = text_of(response)
    assert REFUSED in page
    assert "you left before dessert" in page  # the newer answer
    assert ">\nyou went home early</textarea>" in page  # what was typed, still in the box
    draft.refresh_from_db()
    assert draft.answers == {"saw": "you left before dessert"}
    fresh = version_in(page)
    assert fresh != version
    # Saving again, knowingly, keeps the phone's words and moves on.
    again = phone.post(url, {**typed_on_phone, "version": fresh})
    assert again["Location"] == reverse("practices:step", args=[draft.pk, 2])
    draft.refresh_from_db()
    assert draft.answers == {"saw": "you went home early"}


def test_going_back_from_a_stale_step_is_refused_too_and_loses_nothing(alex):
    draft = services.start(alex, "feedback_wheel")
    url = reverse("practices:step", args=[draft.pk, 2])
    version = opened(client_for(alex), url)
    services.answer(services.find(alex, draft.pk), WHEEL.step(1), "changed on the laptop")

    response = client_for(alex).post(
        url, {"answer": "my story, typed on the phone", "go": "back", "version": version}
    )

    assert response.status_code == 200 and REFUSED in text_of(response)
    assert "my story, typed on the phone</textarea>" in text_of(response)
    draft.refresh_from_db()
    assert draft.answers == {"saw": "changed on the laptop"}


def test_a_step_saved_from_the_current_version_moves_on(alex):
    draft = services.start(alex, "feedback_wheel")
    url = reverse("practices:step", args=[draft.pk, 1])
    client = client_for(alex)
    version = opened(client, url)

    response = client.post(url, {"answer": "you left early", "go": "next", "version": version})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"saw": "you left early"}


def test_a_form_without_a_version_still_saves_and_never_undoes_another_step(alex):
    draft = services.start(alex, "feedback_wheel")
    stale = services.find(alex, draft.pk)  # read before the other step is saved
    services.answer(services.find(alex, draft.pk), WHEEL.step(1), "saved on the laptop")

    services.answer(stale, WHEEL.step(2), "saved on the phone")

    draft.refresh_from_db()
    assert draft.answers == {"saw": "saved on the laptop", "made_up": "saved on the phone"}


def test_two_saves_in_the_same_instant_get_different_versions(alex, time_machine):
    time_machine.move_to("2026-03-01 20:00:00+00:00", tick=False)
    draft = services.start(alex, "feedback_wheel")
    first = services.version(services.answer(draft, WHEEL.step(1), "one"))
    second = services.version(services.answer(draft, WHEEL.step(1), "two"))
    assert second > first


# The message


def test_a_stale_message_save_is_refused_shows_the_newer_message_and_keeps_what_was_typed(alex):
    draft = services.start(alex, "feedback_wheel")
    url = draft.get_absolute_url()
    laptop, phone = client_for(alex), client_for(alex)
    version = opened(phone, url)
    kept = laptop.post(url, {"message": "Kept on the laptop.", "version": version})
    assert kept.status_code == 302

    response = phone.post(url, {"message": "Typed on the phone.", "version": version})

    assert response.status_code == 200
    page = text_of(response)
    assert REFUSED in page
    assert "Kept on the laptop." in page
    assert ">\nTyped on the phone.</textarea>" in page
    draft.refresh_from_db()
    assert draft.message == "Kept on the laptop."
    again = phone.post(url, {"message": "Typed on the phone.", "version": version_in(page)})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.message == "Typed on the phone."


def test_a_message_page_refused_after_a_step_changed_shows_the_new_answers_put_together(alex):
    draft = services.start(alex, "feedback_wheel")
    url = draft.get_absolute_url()
    version = opened(client_for(alex), url)
    services.answer(services.find(alex, draft.pk), WHEEL.step(1), "you looked at your phone")

    response = client_for(alex).post(url, {"message": "My own words.", "version": version})

    page = text_of(response)
    assert REFUSED in page
    assert "What I noticed was that you looked at your phone." in page
    assert ">\nMy own words.</textarea>" in page
    draft.refresh_from_db()
    assert draft.finished is None and draft.message == ""


# The live coach on a step (htmx)


def test_the_live_coach_gets_the_version_with_the_form_and_never_saves(alex):
    draft = services.start(alex, "feedback_wheel")
    step = text_of(client_for(alex).get(reverse("practices:step", args=[draft.pk, 1])))
    assert 'hx-post="/practice/coach/check/"' in step
    version = version_in(step)
    # htmx sends the whole enclosing form, the version included, as the person types.
    data = {"answer": "you always do this", "go": "next", "version": version}

    live = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER_NAME": "answer"}
    response = client_for(alex).post(reverse("practices:coach_check"), data, **live)

    assert response.status_code == 200 and "coach-criticism" in text_of(response)
    draft.refresh_from_db()
    assert str(services.version(draft)) == version and draft.answers == {}


def test_a_refused_step_still_runs_the_live_coach_and_saves_on_the_next_try(alex):
    draft = services.start(alex, "feedback_wheel")
    url = reverse("practices:step", args=[draft.pk, 1])
    client = client_for(alex)
    version = opened(client, url)
    services.answer(services.find(alex, draft.pk), WHEEL.step(1), "from the laptop")
    headers = {"HTTP_HX_REQUEST": "true"}  # as if htmx were loaded on the page

    refused = client.post(
        url, {"answer": "you always do this", "go": "next", "version": version}, **headers
    )

    page = text_of(refused)
    assert refused.status_code == 200 and REFUSED in page
    assert 'hx-post="/practice/coach/check/"' in page and 'hx-target="#coach-result"' in page
    saved = client.post(
        url, {"answer": "you always do this", "go": "next", "version": version_in(page)}, **headers
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"saw": "you always do this"}
