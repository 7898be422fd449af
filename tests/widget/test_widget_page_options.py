"""The widget on a municipality's own page: the script tag's data attributes, the municipality's
colours, and zoom and large text (WCAG 1.4.10 reflow, 1.4.4 resize text)."""

import re

from playwright.sync_api import expect

from tests.support.widget_page import (
    ANSWER_TIMEOUT,
    ask,
    axe_violations,
    conversation,
    describe,
    launcher,
    no_horizontal_scrolling,
    open_widget,
    save_screenshot,
    shown,
    textbox,
)


def test_data_attributes_set_the_server_language_title_and_an_open_chat(page, municipal_site, servers):
    script = {
        "data-server": servers["url"],
        "data-lang": "nl-NL",
        "data-open": "true",
        "data-title": "Zorgvragen in Zwolle",
    }
    municipal_site(page, servers["url"], script)
    panel = page.get_by_role("region", name="Zorgvragen in Zwolle")
    expect(panel).to_be_visible()
    expect(launcher(page)).to_be_hidden()
    expect(page.get_by_role("heading", name="Zorgvragen in Zwolle")).to_be_visible()
    expect(page.locator(".wegwijzer")).to_have_attribute("lang", "nl-NL")
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)


def test_without_data_attributes_the_chat_is_closed_dutch_and_titled_wegwijzer(page, web):
    page.goto(web + "/zonder-gemeente.html")  # only data-server
    expect(launcher(page)).to_be_visible()
    expect(page.locator("#wegwijzer-panel")).to_be_hidden()
    expect(page.locator(".wegwijzer")).to_have_attribute("lang", "nl")
    launcher(page).click()
    expect(page.get_by_role("region", name="Wegwijzer")).to_be_visible()


def test_without_data_server_the_widget_talks_to_port_5005_of_its_own_host(unchecked_page, municipal_site):
    page = unchecked_page
    default_server = "http://localhost:5005"
    page.route(re.compile(r"^http://localhost:5005/socket\.io/"), lambda route: route.abort())
    with page.expect_request(re.compile(r"^http://localhost:5005/socket\.io/")):
        municipal_site(page, default_server, {"data-open": "true"})


def test_a_municipality_sets_its_colour_with_a_custom_property(axe_page, web, municipal_site, servers):
    page = axe_page
    page.goto(web + "/")
    expect(launcher(page)).to_have_css("background-color", "rgb(1, 104, 155)")
    theme = ":root { --wegwijzer-accent: #6a1b9a; --wegwijzer-accent-hover: #4a136c; }"
    municipal_site(page, servers["url"], {"data-server": servers["url"]}, stylesheet=theme)
    expect(launcher(page)).to_have_css("background-color", "rgb(106, 27, 154)")
    launcher(page).click()
    expect(page.locator(".wegwijzer__header")).to_have_css("background-color", "rgb(106, 27, 154)")
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_at_400_percent_zoom_everything_fits_320_by_256_px_and_works(page, web):
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 x 1024 at 400 %
    open_widget(page, web + "/")
    textbox(page).fill("wat is een pgb")
    page.get_by_role("button", name="Verstuur").click()
    expect(conversation(page)).to_contain_text("persoonsgebonden budget", timeout=ANSWER_TIMEOUT)
    assert no_horizontal_scrolling(page)
    for part in (textbox(page), page.get_by_role("button", name="Verstuur"), page.locator(".wegwijzer__message").last):
        part.evaluate("element => element.scrollIntoView({block: 'end'})")
        assert shown(part), part
    save_screenshot(page, "widget-400-percent")


def test_text_at_200_percent_is_not_cut_off(axe_page, web):
    page = axe_page
    page.goto(web + "/")
    page.add_style_tag(content="html { font-size: 200% !important; }")
    launcher(page).click()
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)
    ask(page, "wat is een pgb", "persoonsgebonden budget")
    assert no_horizontal_scrolling(page)
    for part in (textbox(page), page.get_by_role("button", name="Verstuur"), page.locator(".wegwijzer__message").last):
        assert shown(part), part
    save_screenshot(page, "widget-text-200-percent")
