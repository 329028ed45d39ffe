"""Journey: Alex checks a complaint with the live coach, turns it into a feedback wheel, sends it.

The coach runs as Alex types (htmx, debounced), with no button pressed: the marks
appear and change with the text. Sam reads the message with the listener's guide.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from attunement.web.practices.models import Draft
from crisis_samples import FAINT

from .conftest import PHONE, go, paired_couple, sign_in

COMPLAINT = "you never listen to me. whatever"
MINE = "When you looked at your phone while I talked, I felt lonely. Could we talk after dinner?"


def test_alex_turns_a_complaint_into_a_feedback_wheel_with_the_live_coach_and_sam_reads_it(
    new_context, site, axe, look, screenshot
):
    alex_user, _sam = paired_couple()
    alex = new_context().new_page()
    sam = new_context(**PHONE).new_page()

    sign_in(alex, site, "alex@example.org")
    go(alex, "Practice")
    expect(alex.get_by_role("heading", name="Your practices")).to_be_visible()
    look(alex, "Alex: practices, empty")
    alex.get_by_role("link", name="Check a message before you send it").click()
    expect(alex.get_by_label("The message you are about to send")).to_be_visible()
    look(alex, "Alex: coach, empty")

    # The coach answers while Alex types; no button is pressed.
    box = alex.get_by_label("The message you are about to send")
    box.press_sequentially(COMPLAINT, delay=10)
    result = alex.locator("#coach-result")
    expect(result.locator("mark.coach-criticism")).to_contain_text("you never")
    expect(result.locator("mark.coach-withdrawal")).to_contain_text("whatever")
    expect(result).to_contain_text("attack on who they are")
    expect(result).to_contain_text("One way to say the same thing")
    axe(alex, "Alex: coach, marked")  # in place: focus is in the text
    screenshot(alex, "coach-live")

    # Crisis words typed show help at once, privately; taking them out takes it away.
    box.press_sequentially(" i want to die", delay=10)
    expect(result).to_contain_text("Only you see this")
    axe(alex, "Alex: coach, crisis help")  # in place: focus is in the text
    box.fill(COMPLAINT)
    box.dispatch_event("input")
    expect(result).not_to_contain_text("Only you see this")
    expect(result.locator("mark.coach-criticism")).to_be_visible()

    alex.get_by_role("button", name="Start a feedback wheel from this message").click()
    expect(alex.get_by_role("heading", name="What I saw or heard")).to_be_visible()
    expect(alex.get_by_text(COMPLAINT)).to_be_visible()
    look(alex, "Alex: wheel, step 1")
    answer = alex.get_by_label("What happened, as a camera would have recorded it?")
    answer.fill("you always look at your phone when I talk")
    answer.dispatch_event("input")
    expect(result.locator("mark.coach-criticism")).to_be_visible()  # the coach, on a step
    answer.fill("you looked at your phone while I talked about my day")
    alex.get_by_role("button", name="Next").click()
    alex.get_by_label("What story did you tell yourself about what it meant?").fill(
        "my day didn't matter to you"
    )
    alex.get_by_role("button", name="Next").click()
    expect(alex.get_by_role("heading", name="How I feel")).to_be_visible()
    alex.wait_for_load_state("load")  # the feeling buttons work once the page's script ran
    alex.get_by_role("button", name="lonely", exact=True).click()
    alex.get_by_role("button", name="hurt", exact=True).click()
    expect(alex.get_by_label("What do you feel about it?")).to_have_value("lonely, hurt")
    axe(alex, "Alex: wheel, feelings")  # in place: focus is in the text
    screenshot(alex, "wheel-feelings")
    alex.get_by_role("button", name="Next").click()
    alex.get_by_label("What would you like now, that your partner could say yes to?").fill(
        "ten minutes after dinner, phones away"
    )
    alex.get_by_role("button", name="See my message").click()

    message = alex.get_by_label("Your message, in your own words")
    expect(message).to_have_value(
        "I'm bringing this up because I want us to be closer. What I noticed was that you "
        "looked at your phone while I talked about my day. The story I made up about it was "
        "that my day didn't matter to you. I feel lonely, hurt. What I'd like is ten minutes "
        "after dinner, phones away. You don't have to fix anything; I wanted you to know."
    )
    look(alex, "Alex: wheel, message")
    message.fill(MINE)
    alex.get_by_role("button", name="Keep this message").click()
    expect(alex.get_by_role("status").first).to_contain_text("Kept.")
    expect(alex.get_by_role("button", name="Copy the text")).to_be_visible()
    look(alex, "Alex: wheel, kept")
    screenshot(alex, "wheel-kept")
    alex.get_by_role("button", name="Send to Sam").click()
    expect(alex.get_by_role("status").first).to_contain_text("Sent. Sam can read it")
    assert Draft.objects.get(owner=alex_user).message == MINE

    sign_in(sam, site, "sam@example.org")
    sam.goto(site + "/practice/")
    sam.get_by_role("link", name="Alex sent you a message").click()
    expect(sam.get_by_text(MINE)).to_be_visible()
    expect(sam.get_by_text("Hold your side for later.")).to_be_visible()
    look(sam, "Sam: received, phone")
    screenshot(sam, "received-phone")

    alex.get_by_role("button", name="Withdraw it").click()
    sam.reload()
    expect(sam.get_by_text(MINE)).to_have_count(0)

    alex.goto(site + "/practice/")
    expect(alex.get_by_role("table")).to_contain_text("The feedback wheel")
    look(alex, "Alex: practices, history")
    screenshot(alex, "practice-plan")


def test_alex_answers_one_step_on_his_laptop_and_his_phone_and_loses_nothing(
    new_context, site, look, screenshot
):
    alex_user, _sam = paired_couple()
    laptop = new_context().new_page()
    phone = new_context(**PHONE).new_page()
    for page in (laptop, phone):
        sign_in(page, site, "alex@example.org")
    laptop.goto(site + "/practice/flow/feedback_wheel/")
    laptop.get_by_role("button", name="Begin").click()
    step_one = laptop.url
    phone.goto(step_one)
    question = "What happened, as a camera would have recorded it?"

    laptop.get_by_label(question).fill("you left before dessert")
    laptop.get_by_role("button", name="Next").click()
    expect(laptop.get_by_role("heading", name="What I made up")).to_be_visible()

    # The phone still shows the step as it was; what Alex types there is coached, then refused.
    box = phone.get_by_label(question)
    box.press_sequentially("you always leave early", delay=10)
    result = phone.locator("#coach-result")
    expect(result.locator("mark.coach-criticism")).to_be_visible()
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("alert")).to_contain_text("This draft was changed somewhere else")
    expect(phone.get_by_role("alert")).to_contain_text("you left before dessert")
    expect(phone.get_by_label(question)).to_have_value("you always leave early")
    look(phone, "Alex: a step changed on another device, phone")
    screenshot(phone, "step-changed-elsewhere-phone")

    # The live coach still runs on the refused page, and going on again keeps the phone's words.
    box = phone.get_by_label(question)
    box.fill("you went home while I was still talking")
    box.dispatch_event("input")
    expect(result.locator("mark.coach-criticism")).to_have_count(0)
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("heading", name="What I made up")).to_be_visible()
    draft = Draft.objects.get(owner=alex_user)
    assert draft.answers == {"saw": "you went home while I was still talking"}


@pytest.mark.model
def test_a_faint_signal_is_one_quiet_line_and_a_plain_one_the_whole_help(
    new_context, site, axe, screenshot
):
    paired_couple()
    alex = new_context().new_page()
    sign_in(alex, site, "alex@example.org")
    alex.goto(site + "/practice/coach/")
    box = alex.get_by_label("The message you are about to send")
    box.fill(FAINT)
    box.dispatch_event("input")
    result = alex.locator("#coach-result")
    quiet = result.locator(".quiet-help")
    expect(quiet).to_be_visible()
    expect(result).not_to_contain_text("You don't have to carry this alone")
    # One closed line; the services are behind it, one click away.
    expect(quiet.locator("summary")).to_contain_text("wanting to die or hurting yourself")
    expect(quiet.get_by_text("988 Suicide & Crisis Lifeline")).to_be_hidden()
    screenshot(alex, "coach-quiet-help")
    quiet.locator("summary").click()
    expect(quiet.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
    axe(alex, "Alex: coach, quiet help open")  # in place: the line was clicked
    # Said plainly, the whole help at once, and no quiet line for the same concern.
    box.fill("i want to die")
    box.dispatch_event("input")
    expect(result).to_contain_text("You don't have to carry this alone")
    expect(result.locator(".written-help").first).to_contain_text("988 Suicide & Crisis Lifeline")
    screenshot(alex, "coach-full-help")
