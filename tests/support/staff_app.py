"""The staff app's stores on temporary SQLite files, and a signed-in browser session over HTTP,
as tests/staff and tests/staff_pages use them."""

import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence, Tuple

import pytest
import requests
from cryptography.fernet import Fernet
from playwright.sync_api import Page
from sqlalchemy.engine import make_url

from assistant.conversations.store import ConversationLog
from assistant.helpdesk.callbacks import CallbackStore
from assistant.settings import CALLBACK_KEY, CALLBACK_URL, DIRECTORY_URL, STAFF_URL, TRACKER_DB, conversation_store_url
from assistant.staff.accounts import StaffStore

PASSWORD = "een lange zin als wachtwoord"


@contextmanager
def staff_stores(folder: Path) -> Iterator[Tuple[StaffStore, CallbackStore]]:
    """Both stores, with the environment set so that a web server started now uses them too
    (and the conversation log in `folder`, and a copy of the test directory there, so that the
    local data saved by a test stays in its folder)."""
    key = Fernet.generate_key()
    directory = shutil.copyfile(make_url(DIRECTORY_URL.get()).database, folder / "directory.db")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DIRECTORY_URL.name, f"sqlite:///{directory}")
        patch.setenv(STAFF_URL.name, f"sqlite:///{folder / 'staff.db'}")
        patch.setenv(CALLBACK_URL.name, f"sqlite:///{folder / 'callbacks.db'}")
        patch.setenv(CALLBACK_KEY.name, key.decode())
        patch.setenv(TRACKER_DB.name, str(folder / "tracker.db"))  # the conversation log: conversation_log()
        yield StaffStore(), CallbackStore(key=key)


def conversation_log() -> ConversationLog:
    """The conversation log the web server reads: inside `staff_stores`."""
    return ConversationLog(conversation_store_url())


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def new_account(staff: StaffStore, name: str, role: str = "helpdesk", codes: Sequence[str] = ("GM0228",)) -> str:
    """A new account whose own password is PASSWORD; returns its one-time password (now used up)."""
    _, one_time = staff.add(name, role, list(codes))
    staff.change_password(name, PASSWORD)
    return one_time


def sign_in(browser: requests.Session, url: str, name: str, password: str, **options) -> requests.Response:
    """The sign-in form, filled in and sent, as a browser does."""
    form = browser.get(f"{url}/beheer/inloggen", timeout=10)
    data = {"csrf": csrf(form.text), "naam": name, "wachtwoord": password}
    return browser.post(f"{url}/beheer/inloggen", data=data, timeout=10, **options)


def signed_in(url: str, staff: StaffStore, name: str, role: str = "helpdesk", codes=("GM0228",)) -> requests.Session:
    """A browser session of a new account that has chosen its own password on the page."""
    _, one_time = staff.add(name, role, list(codes))
    browser = requests.Session()
    page = sign_in(browser, url, name, one_time)
    assert page.url.endswith("/beheer/wachtwoord")
    changed = {"csrf": csrf(page.text), "huidig": one_time, "nieuw": PASSWORD, "herhaling": PASSWORD}
    assert browser.post(f"{url}/beheer/wachtwoord", data=changed, timeout=10).url.endswith(
        "/beheer/?wachtwoord=gewijzigd"
    )
    return browser


def sign_in_page(page: Page, url: str, name: str, password: str = PASSWORD) -> None:
    """The sign-in form in a browser tab, filled in and sent."""
    page.goto(f"{url}/beheer/inloggen")
    page.get_by_label("Accountnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
