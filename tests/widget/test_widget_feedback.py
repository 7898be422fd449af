"""'Heeft dit antwoord u geholpen?' under an answer: Ja or Nee sent to the server as a socket.io
`feedback` event with the answer's turn, thanks in the status, an optional comment sent as a
second event; by keyboard only, after a reload, with axe-core and at 320 px, without a
connection; not under the greeting or a flow's question."""

import json
import re
from typing import Dict, List

from playwright.sync_api import Page, expect

from assistant.conversations.feedback import MAX_COMMENT
from tests.support.widget_page import (
    ANSWER_TIMEOUT,
    ask,
    axe_violations,
    contact_card,
    conversation,
    describe,
    launcher,
    no_horizontal_scrolling,
    open_widget,
    store_messages,
    textbox,
)

QUESTION = "Heeft dit antwoord u geholpen?"
THANKS = "Bedankt voor uw reactie."
COMMENT = "Wilt u nog iets zeggen over dit antwoord? (niet verplicht)"
SENT = "Uw reactie is verstuurd."
EVENT = re.compile(r"^42(\[.*\])$", re.DOTALL)  # a socket.io event as a websocket frame: 42["name",data]


def feedback_events(page: Page) -> List[Dict]:
    """The data of every `feedback` event the page sends over its websocket, as it sends them."""
    events: List[Dict] = []

    def read(payload) -> None:
        frame = EVENT.match(payload) if isinstance(payload, str) else None
        if frame:
            name, *data = json.loads(frame.group(1))
            if name == "feedback":
                events.append(data[0])

    page.on("websocket", lambda websocket: websocket.on("framesent", read))
    return events


def sent(page: Page, events: List[Dict], count: int) -> List[Dict]:
    """The events once `count` have been sent (or after 5 s); then a moment more, so that a
    duplicate would show."""
    for _ in range(50):
        if len(events) >= count:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    return events


def session_id(page: Page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('wegwijzer:GM0363')).sessionId")


def feedback_groups(page: Page):
    return conversation(page).get_by_role("group", name=QUESTION)


def last_answer_asks_for_feedback(page: Page):
    """The feedback group under the last bot message, the answer it asks about."""
    group = page.locator(".wegwijzer__message--bot").last.get_by_role("group", name=QUESTION)
    expect(group).to_be_visible(timeout=ANSWER_TIMEOUT)
    return group


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def test_nee_sends_feedback_for_its_turn_says_thanks_and_a_comment_follows(page, web):
    events = feedback_events(page)
    open_widget(page, web + "/")
    ask(page, "Wat is een pgb?", "persoonsgebonden budget")
    group = last_answer_asks_for_feedback(page)
    expect(textbox(page)).to_be_focused()  # the question does not take the focus
    group.get_by_role("button", name="Nee").click()
    expect(group).to_contain_text(THANKS)
    expect(page.get_by_role("status")).to_have_text(THANKS)
    expect(group.get_by_role("button", name="Ja")).to_have_count(0)
    expect(group.get_by_role("button", name="Nee")).to_have_count(0)
    session = session_id(page)
    # Turn 1 is the greeting's "/greet", turn 2 the question.
    assert sent(page, events, 1) == [{"session_id": session, "turn": 2, "helped": False}]
    comment = group.get_by_role("textbox", name=COMMENT)
    expect(comment).to_be_focused()
    comment.fill("Ik zocht wat een pgb kost. " * 30)  # 810 characters
    assert len(comment.input_value()) == MAX_COMMENT
    expect(group.locator(".wegwijzer__limit")).to_contain_text(f"hoogstens {MAX_COMMENT} tekens")
    comment.fill("  Ik zocht wat een pgb kost.  ")
    expect(group.locator(".wegwijzer__limit")).to_be_hidden()
    group.get_by_role("button", name="Verstuur reactie").click()
    expect(group).to_contain_text(SENT)
    expect(page.get_by_role("status")).to_have_text(SENT)
    expect(group.get_by_role("textbox")).to_have_count(0)
    assert sent(page, events, 2)[1:] == [
        {"session_id": session, "turn": 2, "helped": False, "comment": "Ik zocht wat een pgb kost."}
    ]


def test_keyboard_only_ja_a_comment_and_send(page, web):
    events = feedback_events(page)
    open_widget(page, web + "/")
    ask(page, "Hoeveel is de eigen bijdrage voor de Wmo?", "CAK")
    group = last_answer_asks_for_feedback(page)
    yes = group.get_by_role("button", name="Ja")
    expect(textbox(page)).to_be_focused()
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        if is_focused(yes):
            break
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    comment = group.get_by_role("textbox", name=COMMENT)
    expect(comment).to_be_focused()
    expect(group).to_contain_text(THANKS)
    page.keyboard.type("Duidelijk, dank u.")
    page.keyboard.press("Tab")
    expect(group.get_by_role("button", name="Verstuur reactie")).to_be_focused()
    page.keyboard.press("Enter")
    expect(group).to_contain_text(SENT)
    expect(textbox(page)).to_be_focused()  # the form is gone: on with the conversation
    session = session_id(page)
    assert sent(page, events, 2) == [
        {"session_id": session, "turn": 2, "helped": True},
        {"session_id": session, "turn": 2, "helped": True, "comment": "Duidelijk, dank u."},
    ]


def test_after_a_reload_an_answered_question_stays_answered_and_an_open_one_open(page, web):
    events = feedback_events(page)
    open_widget(page, web + "/")
    ask(page, "Wat is een pgb?", "persoonsgebonden budget")
    last_answer_asks_for_feedback(page).get_by_role("button", name="Ja").click()
    expect(feedback_groups(page).first).to_contain_text(THANKS)
    ask(page, "Hoeveel is de eigen bijdrage voor de Wmo?", "CAK")
    last_answer_asks_for_feedback(page)
    page.reload()
    groups = feedback_groups(page)
    expect(groups).to_have_count(2)
    expect(groups.first).to_contain_text(THANKS)
    expect(groups.first.get_by_role("button", name="Ja")).to_have_count(0)
    expect(groups.first.get_by_role("button", name="Nee")).to_have_count(0)
    expect(groups.last).not_to_contain_text(THANKS)
    groups.last.get_by_role("button", name="Nee").click()
    expect(groups.last).to_contain_text(THANKS)
    # The question the resident typed second is turn 3, also when it is answered after the reload.
    assert [(event["turn"], event["helped"]) for event in sent(page, events, 2)] == [(2, True), (3, False)]


def test_no_violations_of_wcag_21_aa_with_the_feedback_question_and_no_horizontal_scrolling_at_320_px(axe_page, web):
    page = axe_page
    open_widget(page, web + "/")
    ask(page, "Wat is een pgb?", "persoonsgebonden budget")
    group = last_answer_asks_for_feedback(page)
    violations = {"with the question": axe_violations(page)}
    group.get_by_role("button", name="Nee").click()
    comment = group.get_by_role("textbox", name=COMMENT)
    comment.fill("Te lang. " * 60)
    expect(group.locator(".wegwijzer__limit")).to_be_visible()
    violations["with the comment form at its limit"] = axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    violations["320 px wide"] = axe_violations(page)
    assert no_horizontal_scrolling(page)
    page.set_viewport_size({"width": 320, "height": 256})  # 400 % zoom of 1280 × 1024
    assert no_horizontal_scrolling(page)
    group.get_by_role("button", name="Verstuur reactie").click()
    expect(group).to_contain_text(SENT)
    violations["after the comment, at 400 % zoom"] = axe_violations(page)
    assert no_horizontal_scrolling(page)
    assert all(not found for found in violations.values()), describe(violations)


def test_no_feedback_question_under_the_greeting_or_a_flows_question_but_under_its_outcome(page, web):
    open_widget(page, web + "/zonder-gemeente.html")
    page.wait_for_timeout(1000)  # a request that came late would be shown by now
    expect(feedback_groups(page)).to_have_count(0)
    ask(page, "hoe bereik ik het wmo loket", "In welke gemeente woont u?")
    page.wait_for_timeout(1000)
    expect(feedback_groups(page)).to_have_count(0)
    ask(page, "Zwolle", "Gemeente Zwolle")
    expect(contact_card(page, "Zwolle")).to_be_visible(timeout=ANSWER_TIMEOUT)
    last_answer_asks_for_feedback(page)
    expect(feedback_groups(page)).to_have_count(1)


def test_without_a_connection_the_buttons_stay_and_the_widget_says_so(unchecked_page, web_without_rasa):
    page = unchecked_page  # the lost connection is logged as errors
    page.goto(web_without_rasa + "/")
    launcher(page).click()
    expect(page.get_by_role("status")).to_contain_text("De verbinding is verbroken")
    store_messages(
        page,
        [
            {"from": "bot", "text": "Pgb betekent persoonsgebonden budget.", "feedback": {"turn": 2}},
            {
                "from": "bot",
                "text": "Het CAK int de eigen bijdrage.",
                "feedback": {"turn": 3, "helped": True, "commented": True},
            },
        ],
    )
    page.reload()
    groups = feedback_groups(page)
    expect(groups).to_have_count(2)
    expect(groups.last).to_contain_text(SENT)
    expect(groups.last.get_by_role("button")).to_have_count(0)
    groups.first.get_by_role("button", name="Ja").click()
    expect(page.get_by_role("status")).to_have_text(
        "Geen verbinding. Uw reactie is nog niet verstuurd. Probeer het zo opnieuw."
    )
    expect(groups.first.get_by_role("button", name="Ja")).to_be_visible()
    expect(groups.first.get_by_role("button", name="Nee")).to_be_visible()
    expect(groups.first).not_to_contain_text(THANKS)
