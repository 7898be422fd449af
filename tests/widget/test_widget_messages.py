"""What the widget does with the assistant's messages: safe links, lists, the contact card read
once, the typing indicator, and a connection that is lost and comes back."""

import re
from typing import List

from playwright.sync_api import Page, WebSocketRoute, expect

from tests.support.widget_page import (
    ANSWER_TIMEOUT,
    ask,
    contact_card,
    conversation,
    open_widget,
    store_messages,
    textbox,
)

SOCKET_IO = re.compile(r"^http://localhost:\d+/socket\.io/")
WEBSOCKET = re.compile(r"^ws://localhost:\d+/socket\.io/")


def test_links_only_for_http_tel_and_mailto_and_lists_from_dashes_and_numbers(page, web):
    open_widget(page, web + "/")
    conditions = "Voor een pgb uit de Wmo gelden deze voorwaarden"
    ask(page, "wat zijn de voorwaarden voor een pgb", conditions)
    answer = page.locator(".wegwijzer__message--bot", has_text=conditions)
    expect(answer.locator("ul").first.locator("li")).to_have_count(3)
    source = conversation(page).locator("a[href^='https://wetten.overheid.nl']").last  # the source follows the answer
    expect(source).to_have_attribute("rel", "noopener noreferrer")
    expect(source).to_have_attribute("target", "_blank")
    store_messages(
        page,
        [
            {
                "from": "bot",
                "text": "Zo gaat het:\n1. Bel tel:+31201234567\n2. Of mail naar mailto:wmo@example.nl\n"
                "Niet: javascript:alert(1) en data:text/html,hallo",
            }
        ],
    )
    page.reload()
    stored = page.locator(".wegwijzer__message--bot").last
    expect(stored.locator("ol > li")).to_have_count(2)
    expect(stored.locator("a")).to_have_count(2)
    assert stored.locator("a[href='tel:+31201234567']:not([target])").count() == 1
    assert stored.locator("a[href='mailto:wmo@example.nl']:not([target])").count() == 1
    expect(stored).to_contain_text("Niet: javascript:alert(1) en data:text/html,hallo")


def test_the_contact_details_are_read_once_in_the_card_not_also_in_the_text(page, web):
    open_widget(page, web + "/")
    ask(page, "hoe bereik ik het wmo loket", "Amsterdam")
    card = contact_card(page, "Amsterdam")
    expect(card).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(conversation(page)).to_contain_text("Het Wmo-loket van de gemeente Amsterdam")  # the text's lead-in stays
    in_card, in_log = card.aria_snapshot(), conversation(page).aria_snapshot()
    phones = card.locator("a[href^='tel:']").all_inner_texts()
    assert phones and "Bron:" in in_card
    for detail in phones + ["Telefoon", "Website", "E-mail", "Bezoekadres", "Postadres", "Bron:", "Nagekeken op"]:
        assert in_log.count(detail) == in_card.count(detail), detail


def test_the_typing_indicator_shows_while_waiting_and_goes_after_the_answer(page, web):
    open_widget(page, web + "/")
    page.evaluate(
        """() => {
            const typing = document.querySelector('.wegwijzer__typing');
            window.typingShown = [];
            new MutationObserver(() => window.typingShown.push(!typing.hidden))
                .observe(typing, {attributes: true, attributeFilter: ['hidden']});
        }"""
    )
    ask(page, "wat is een pgb", "persoonsgebonden budget")
    expect(page.get_by_text("Wegwijzer typt een antwoord")).to_be_hidden()
    shown = page.evaluate("window.typingShown")
    assert shown[0] is True and shown[-1] is False, shown


class Connection:
    """The widget's connection to Rasa through Playwright: cut (websocket closed, polling
    refused) and restored."""

    def __init__(self, page: Page):
        self.page = page
        self.cut_off = False
        self.websockets: List[WebSocketRoute] = []
        page.route(SOCKET_IO, lambda route: route.abort() if self.cut_off else route.continue_())
        page.route_web_socket(WEBSOCKET, self._websocket)

    def _websocket(self, websocket: WebSocketRoute) -> None:
        if self.cut_off:
            websocket.close()
        else:
            websocket.connect_to_server()
            self.websockets.append(websocket)

    def cut(self) -> None:
        for _ in range(100):  # socket.io starts with polling and then upgrades to a websocket
            if self.websockets:
                break
            self.page.wait_for_timeout(100)
        self.cut_off = True
        for websocket in self.websockets:
            websocket.close()

    def restore(self) -> None:
        self.cut_off = False


def test_when_the_connection_comes_back_the_widget_says_so_and_the_text_is_still_there(unchecked_page, web):
    page = unchecked_page  # refused requests are logged as errors
    connection = Connection(page)
    open_widget(page, web + "/")
    connection.cut()
    status = page.get_by_role("status")
    expect(status).to_contain_text("De verbinding is verbroken")
    textbox(page).fill("wat is een pgb")
    textbox(page).press("Enter")
    expect(status).to_contain_text("Uw bericht is nog niet verstuurd")
    connection.restore()
    expect(status).to_have_text("De verbinding is weer hersteld.", timeout=20_000)
    expect(textbox(page)).to_have_value("wat is een pgb")
    textbox(page).press("Enter")
    expect(conversation(page)).to_contain_text("persoonsgebonden budget", timeout=ANSWER_TIMEOUT)
