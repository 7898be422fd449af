"""The widget as residents meet it: on a municipality's page under a strict CSP, by mouse and
by keyboard, with screen-reader roles, at 320 px, checked by axe-core for WCAG 2.1 AA."""

from playwright.sync_api import expect

from assistant.rasa_plugins.limits import MAX_MESSAGE_LENGTH
from tests.support.widget_page import (
    ANSWER_TIMEOUT,
    DESKTOP,
    ask,
    axe_violations,
    contact_card,
    conversation,
    describe,
    launcher,
    open_widget,
    save_screenshot,
    store_messages,
    textbox,
)


def test_a_question_gets_its_answer_and_a_quick_reply_works(page, web):
    open_widget(page, web + "/")
    ask(page, "wat is een pgb", "persoonsgebonden budget")
    expect(conversation(page).locator(".wegwijzer__message--user")).to_have_text(["U:wat is een pgb"])
    page.get_by_role("group", name="Kies een antwoord").last.get_by_role("button").first.click()
    expect(conversation(page).locator(".wegwijzer__message--user")).to_have_count(2, timeout=ANSWER_TIMEOUT)
    expect(page.locator(".wegwijzer__message--bot").last).not_to_be_empty()


def test_the_preset_municipality_gives_its_contact_card_without_asking(page, web):
    open_widget(page, web + "/")
    ask(page, "hoe bereik ik het wmo loket", "Amsterdam")
    card = contact_card(page, "Amsterdam")
    expect(card).to_be_visible(timeout=ANSWER_TIMEOUT)
    phone = card.locator("a[href^='tel:']").first
    expect(phone).to_be_visible()
    expect(conversation(page)).not_to_contain_text("In welke gemeente woont u?")
    for external in card.locator("a[href^='http']").all():
        assert external.get_attribute("rel") == "noopener noreferrer" and external.get_attribute("target") == "_blank"


def test_without_a_preset_the_widget_asks_the_municipality(page, web):
    open_widget(page, web + "/zonder-gemeente.html")
    ask(page, "hoe bereik ik het wmo loket", "In welke gemeente woont u?")
    ask(page, "Zwolle", "Gemeente Zwolle")
    expect(contact_card(page, "Zwolle")).to_be_visible(timeout=ANSWER_TIMEOUT)


def test_after_a_reload_the_conversation_is_still_there_and_can_start_again(page, web):
    open_widget(page, web + "/")
    ask(page, "wat is een pgb", "persoonsgebonden budget")
    page.reload()
    expect(conversation(page)).to_contain_text("wat is een pgb")
    expect(conversation(page)).to_contain_text("persoonsgebonden budget")
    page.get_by_role("button", name="Nieuw gesprek").click()
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)
    expect(conversation(page)).not_to_contain_text("persoonsgebonden budget")
    expect(textbox(page)).to_be_focused()


def test_keyboard_only_open_ask_choose_and_close(page, web):
    page.goto(web + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher(page).evaluate("element => element === document.activeElement"):
            break
    expect(launcher(page)).to_be_focused()
    page.keyboard.press("Enter")
    expect(textbox(page)).to_be_focused()
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Pgb":
            break
    page.keyboard.press("Enter")
    expect(conversation(page)).to_contain_text("persoonsgebonden budget", timeout=ANSWER_TIMEOUT)
    expect(textbox(page)).to_be_focused()
    page.keyboard.type("wat is cliëntondersteuning")
    page.keyboard.press("Enter")
    expect(conversation(page)).to_contain_text("wat is cliëntondersteuning")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "Verstuur": out of the widget, no trap
    assert not page.evaluate("document.getElementById('wegwijzer-panel').contains(document.activeElement)")
    textbox(page).focus()
    page.keyboard.press("Escape")
    expect(page.locator("#wegwijzer-panel")).to_be_hidden()
    expect(launcher(page)).to_be_focused()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")


def test_html_in_messages_is_shown_as_text(page, web):
    open_widget(page, web + "/")
    attack = "<img src=x onerror=window.hacked=1>"
    ask(page, attack, "Wegwijzer")
    expect(conversation(page).locator(".wegwijzer__message--user")).to_have_text([f"U:{attack}"])
    bot_attack = {
        "from": "bot",
        "text": "<script>window.hacked=2</script> <img src=x onerror=window.hacked=3> javascript:alert(1)",
        "card": {
            "type": "contact_card",
            "name": "Gemeente <b>X</b>",
            "website": "javascript:alert(1)",
            "phone": "<i>1</i>",
        },
    }
    store_messages(page, [bot_attack])
    page.reload()
    expect(conversation(page)).to_contain_text(bot_attack["text"])
    expect(conversation(page)).to_contain_text("Gemeente <b>X</b>")
    widget = page.locator(".wegwijzer")
    assert widget.locator("img, script, b, i").count() == 0
    assert widget.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.hacked") is None


def test_a_lost_connection_says_so_and_keeps_the_residents_text(unchecked_page, web_without_rasa):
    page = unchecked_page
    page.goto(web_without_rasa + "/")
    launcher(page).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("De verbinding is verbroken")
    textbox(page).fill("mijn vraag over de eigen bijdrage")
    textbox(page).press("Enter")
    expect(status).to_contain_text("Uw bericht is nog niet verstuurd")
    expect(textbox(page)).to_have_value("mijn vraag over de eigen bijdrage")
    page.reload()
    expect(textbox(page)).to_have_value("mijn vraag over de eigen bijdrage")


def test_no_violations_of_wcag_21_aa_closed_open_with_messages_and_with_a_contact_card(axe_page, web):
    page = axe_page
    page.goto(web + "/")
    violations = {"closed": axe_violations(page)}
    open_widget(page, web + "/")
    violations["open"] = axe_violations(page)
    ask(page, "wat is een pgb", "persoonsgebonden budget")
    violations["with messages"] = axe_violations(page)
    ask(page, "hoe bereik ik het wmo loket", "Amsterdam")
    expect(contact_card(page, "Amsterdam")).to_be_visible(timeout=ANSWER_TIMEOUT)
    violations["with a contact card"] = axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    violations["320 px wide"] = axe_violations(page)
    assert all(not found for found in violations.values()), describe(violations)


def test_screenshots_at_desktop_and_320_px_without_horizontal_scrolling(page, web):
    open_widget(page, web + "/")
    ask(page, "hoe bereik ik het wmo loket", "Amsterdam")
    expect(contact_card(page, "Amsterdam")).to_be_visible(timeout=ANSWER_TIMEOUT)
    save_screenshot(page, "widget-desktop")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate("document.getElementById('wegwijzer-panel').scrollWidth") <= 320
    save_screenshot(page, "widget-320px")
    page.set_viewport_size(DESKTOP)


def test_reduced_motion_stops_the_typing_animation(browser, web):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(web + "/")
    animation = page.evaluate(
        """() => { const p = document.createElement('p'); p.className = 'wegwijzer__typing';
                   document.querySelector('.wegwijzer').append(p);
                   return getComputedStyle(p, '::after').animationName; }"""
    )
    context.close()
    assert animation == "none"


def test_the_text_box_stops_at_the_maximum_length_and_says_so(axe_page, web):
    """MAX_MESSAGE_LENGTH (assistant/rasa_plugins/limits.py): a pasted text is cut there, and the resident reads why."""
    page = axe_page
    open_widget(page, web + "/")
    box = textbox(page)
    box.fill("Ik heb een vraag over huishoudelijke hulp. " * 40)  # 1,720 characters
    assert len(box.input_value()) == MAX_MESSAGE_LENGTH
    limit = page.locator("#wegwijzer-limit")
    expect(limit).to_have_text(
        f"Uw vraag is zo lang als kan: hoogstens {MAX_MESSAGE_LENGTH} tekens. "
        "Maak hem korter om nog iets toe te voegen."
    )
    assert box.get_attribute("aria-describedby") == "wegwijzer-limit"
    assert not axe_violations(page), describe(axe_violations(page))
    box.press("Backspace")
    expect(limit).to_be_empty()
    expect(limit).to_be_hidden()
