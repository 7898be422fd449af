"""Chromium, axe-core and the widget's parts as the widget tests use them."""

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from playwright.sync_api import Browser, Page, expect, sync_playwright

from assistant.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = PROJECT_ROOT / "assistant" / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}


class Problems:
    """What a page must never do: log an error (a CSP violation is one) or ask another host."""

    def __init__(self, page: Page):
        self.errors: List[str] = []
        self.foreign_requests: List[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("request", self._check_host)

    def _check_host(self, request) -> None:
        if not request.url.startswith(("http://localhost:", "ws://localhost:", "data:")):
            self.foreign_requests.append(request.url)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium for one test module. Playwright's sync API runs an event loop in this
    thread while it is open, so it must not outlive the module: asyncio.run in a later test would fail."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_violations(page: Page) -> List[Dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page, with the elements involved."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` in assistant/web (./wegwijzer test does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [
        {"id": violation["id"], "help": violation["help"], "nodes": [node["target"] for node in violation["nodes"]]}
        for violation in result["violations"]
    ]


def save_screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def describe(violations: List[Dict]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)


ANSWER_TIMEOUT = 30_000  # ms: the first answers wait for the model


def launcher(page: Page):
    return page.get_by_role("button", name="Chat met Wegwijzer")


def textbox(page: Page):
    return page.get_by_role("textbox", name="Uw vraag")


def conversation(page: Page):
    return page.get_by_role("log", name="Gesprek")


def open_widget(page: Page, url: str) -> None:
    page.goto(url)
    launcher(page).click()
    expect(conversation(page)).to_contain_text("Hallo, ik ben Wegwijzer", timeout=ANSWER_TIMEOUT)


def ask(page: Page, text: str, answer: str) -> None:
    textbox(page).fill(text)
    textbox(page).press("Enter")
    expect(conversation(page)).to_contain_text(answer, timeout=ANSWER_TIMEOUT)


def contact_card(page: Page, municipality: str):
    return page.get_by_role("region", name=f"Contactgegevens Gemeente {municipality}")


def write_municipal_page(site: Path, script: Dict[str, str], stylesheet: Optional[str] = None) -> None:
    """A municipality's page `gemeente.html` in `site`, with the widget's script tag and its `script`
    data attributes; `stylesheet` is the municipality's own (thema.css)."""
    attributes = " ".join(f'{name}="{value}"' for name, value in script.items())
    theme = '<link rel="stylesheet" href="thema.css">' if stylesheet else ""
    (site / "gemeente.html").write_text(
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Gemeente (test)</title>'
        f'<link rel="icon" href="favicon.svg">{theme}</head>'
        f'<body><main><h1>Zorg en ondersteuning</h1></main><script src="widget/widget.js" {attributes}></script>'
        "</body></html>",
        encoding="utf-8",
    )
    if stylesheet:
        (site / "thema.css").write_text(stylesheet, encoding="utf-8")


def store_messages(page: Page, messages: List[Dict], key: str = "wegwijzer:GM0363") -> None:
    """Add messages to the conversation the widget keeps in sessionStorage (shown after a reload)."""
    page.evaluate(
        """([key, messages]) => {
            const saved = JSON.parse(sessionStorage.getItem(key));
            saved.messages.push(...messages);
            sessionStorage.setItem(key, JSON.stringify(saved));
        }""",
        [key, messages],
    )


def shown(locator) -> bool:
    """The element's bottom edge is in the window and not hidden by a scrolling box around it."""
    return locator.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            if (box.bottom > innerHeight || box.right > innerWidth || box.left < 0) return false;
            return element.contains(document.elementFromPoint((box.left + box.right) / 2, box.bottom - 4));
        }"""
    )


def no_horizontal_scrolling(page: Page) -> bool:
    return page.evaluate(
        """() => [document.documentElement, document.getElementById('wegwijzer-panel'),
                  document.querySelector('.wegwijzer__log')]
                 .every(box => box.scrollWidth <= box.clientWidth)"""
    )


def new_tab(browser: Browser, viewport: Dict[str, int] = DESKTOP, timeout_ms: int = 15_000, **options) -> Page:
    """A tab in a context of its own, whose console errors and foreign requests are kept (`page.problems`)."""
    page = browser.new_context(viewport=viewport, **options).new_page()
    page.problems = Problems(page)
    page.set_default_timeout(timeout_ms)
    return page
