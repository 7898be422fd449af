"""The chat pages over real HTTP: the queue of the own municipality only, taking a chat (one
employee wins), writing, handing back, the transcript from the conversation log, the partial
the page's script asks for, roles, CSRF and the audit log."""

import time
from datetime import timedelta

import pytest

from assistant.helpdesk.handovers import ENDED, HANDED_BACK, TAKEN, TALKING, TEXT, HandoverStore
from tests.support.conversations import answered, asks_to_chat, record, user
from tests.support.staff_app import conversation_log, csrf, signed_in

EDE, AMSTERDAM = "GM0228", "GM0363"


@pytest.fixture
def handovers(stores) -> HandoverStore:
    return HandoverStore()  # on the module's database and key (tests/support/staff_app.py)


def waiting_resident(handovers: HandoverStore, sender: str, code: str = EDE, name: str = "Ede") -> str:
    log, now = conversation_log(), time.time() - 60
    record(log, sender, answered("Wat is een pgb?", now, gemeente=code))
    record(log, sender, asks_to_chat(now + 10), paused=True)
    record(log, sender, [user("Mijn vader kan niet meer koken", "wmo_voorzieningen", now + 20)], paused=True)
    return handovers.request(sender, code, name, timedelta(minutes=5)).reference


def act(browser, url: str, reference: str, action: str, **fields):
    page = browser.get(f"{url}/beheer/chat/{reference}", timeout=10)
    return browser.post(
        f"{url}/beheer/chat/{reference}", data={"csrf": csrf(page.text), "actie": action, **fields}, timeout=10
    )


def test_the_queue_shows_the_own_municipalitys_waiting_residents_only(url, stores, handovers):
    ede = waiting_resident(handovers, "wacht-ede")
    amsterdam = waiting_resident(handovers, "wacht-amsterdam", AMSTERDAM, "Amsterdam")
    browser = signed_in(url, stores[0], "chat-lijst", "helpdesk", (EDE,))
    queue = browser.get(f"{url}/beheer/chat", timeout=10)
    assert queue.status_code == 200 and "Ik neem dit over" in queue.text
    assert f"/beheer/chat/{ede}" in queue.text and f"/beheer/chat/{amsterdam}" not in queue.text
    assert "1 inwoner wacht op een medewerker" in queue.text
    assert browser.get(f"{url}/beheer/chat/{amsterdam}", timeout=10).status_code == 404
    assert act(browser, url, ede, "overnemen").status_code == 200
    other = browser.post(f"{url}/beheer/chat/{amsterdam}", data={"csrf": "x", "actie": "overnemen"}, timeout=10)
    assert other.status_code in (403, 404) and handovers.get(amsterdam).status == "wachtend"


def test_an_employee_takes_over_reads_the_conversation_writes_and_hands_back(url, stores, handovers):
    reference = waiting_resident(handovers, "chat-ede")
    browser = signed_in(url, stores[0], "chat-anna", "helpdesk", (EDE,))
    page = browser.get(f"{url}/beheer/chat/{reference}", timeout=10).text
    assert "Wat is een pgb?" in page and "Mijn vader kan niet meer koken" in page
    assert "De inwoner wacht sinds" in page and 'role="log"' in page

    taken = act(browser, url, reference, "overnemen")
    assert taken.url.endswith("?gelukt=overnemen") and "U hebt de chat overgenomen" in taken.text
    assert handovers.get(reference).status == TALKING and 'id="bericht"' in taken.text

    written = act(browser, url, reference, "bericht", bericht="Goedemiddag, ik help u verder.")
    assert written.status_code == 200 and "Nog niet bij de inwoner" in written.text
    assert "Goedemiddag, ik help u verder." in written.text
    assert [(item.kind, item.text) for item in handovers.pending(["chat-ede"])] == [
        (TAKEN, None),
        (TEXT, "Goedemiddag, ik help u verder."),
    ]

    back = act(browser, url, reference, "teruggeven")
    assert "U hebt het gesprek teruggegeven" in back.text and handovers.get(reference).status == HANDED_BACK
    assert handovers.pending(["chat-ede"])[-1].kind == ENDED
    assert 'id="bericht"' not in back.text
    entries = [(entry.action, entry.record) for entry in stores[0].audit_log([EDE]) if entry.account == "chat-anna"]
    for done in ("bekeken", "overgenomen", "bericht gestuurd", "teruggegeven"):
        assert (done, f"chat {reference}") in entries


def test_a_second_employee_cannot_take_a_taken_chat_or_write_in_it(url, stores, handovers):
    reference = waiting_resident(handovers, "chat-twee")
    first = signed_in(url, stores[0], "chat-eerste", "helpdesk", (EDE,))
    second = signed_in(url, stores[0], "chat-tweede", "helpdesk", (EDE,))
    act(first, url, reference, "overnemen")
    late = act(second, url, reference, "overnemen")
    assert late.status_code == 409 and "Iemand anders heeft deze chat al overgenomen" in late.text
    assert "chat-eerste chat met deze inwoner" in late.text and 'id="bericht"' not in late.text
    assert act(second, url, reference, "bericht", bericht="Hallo").status_code == 400
    assert act(second, url, reference, "teruggeven").status_code == 400
    assert act(first, url, reference, "bericht", bericht="   ").status_code == 409


def test_the_partial_for_the_pages_script_is_not_audited_as_a_view(url, stores, handovers):
    reference = waiting_resident(handovers, "chat-deel")
    browser = signed_in(url, stores[0], "chat-deel", "helpdesk", (EDE,))
    part = browser.get(f"{url}/beheer/chat/{reference}?deel=1", timeout=10)
    assert part.status_code == 200 and 'id="chat-regels"' in part.text and "<html" not in part.text
    queue_part = browser.get(f"{url}/beheer/chat?deel=1", timeout=10)
    assert 'id="chat-lijst"' in queue_part.text and "<html" not in queue_part.text
    assert [entry for entry in stores[0].audit_log([EDE]) if entry.account == "chat-deel"] == []


def test_a_wmo_raad_account_sees_no_chats(url, stores, handovers):
    reference = waiting_resident(handovers, "chat-raad")
    raad = signed_in(url, stores[0], "chat-raad", "wmo-raad", (EDE,))
    assert raad.get(f"{url}/beheer/chat", timeout=10).status_code == 403
    assert raad.get(f"{url}/beheer/chat/{reference}", timeout=10).status_code == 403
    assert "/beheer/chat" not in raad.get(f"{url}/beheer/", timeout=10).text


def test_a_form_without_its_csrf_token_changes_nothing(url, stores, handovers):
    reference = waiting_resident(handovers, "chat-csrf")
    browser = signed_in(url, stores[0], "chat-csrf", "helpdesk", (EDE,))
    refused = browser.post(f"{url}/beheer/chat/{reference}", data={"actie": "overnemen"}, timeout=10)
    assert refused.status_code == 403 and handovers.get(reference).status == "wachtend"
