"""The production profile against real parts: two Rasa servers, the action server and the web
server behind HAProxy, with a PostgreSQL server and a Redis server of the tests' own
(tests/support/cluster.py). A conversation over REST and socket.io through the balancer, a
replica killed in the middle of a guided flow, Redis stopped, PostgreSQL stopped for a moment,
and fifty residents at once while a replica is killed."""

import asyncio
import json
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import requests

from assistant.content.answers import message
from assistant.helpdesk.handovers import HandoverStore
from benchmarks.load import stored_user_texts as stored_texts
from tests.support.cluster import Cluster, running_cluster
from tests.support.handover import waiting_in_zutphen
from tests.support.overrides import chats_always
from tests.support.socketio_client import widget_session
from tests.support.widget_page import DESKTOP, ask, chromium, open_widget, save_screenshot

FAULT_START = message("storing").split(".")[0]  # "Sorry, er ging bij mij iets mis"
FLOW_QUESTION, NEXT_QUESTION = "Voor welke hulp", "Over welk jaar"  # the eigen-bijdrage flow's first two


@pytest.fixture(scope="module")
def load_conversation() -> List[str]:
    """The twenty turns of benchmarks/load.py: questions, three guided flows, a municipality's number."""
    conversation = Path(__file__).parents[2] / "benchmarks" / "load_conversation.json"
    return json.loads(conversation.read_text(encoding="utf-8"))["turns"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, directory_url) -> Cluster:
    with running_cluster(tmp_path_factory.mktemp("cluster")) as started:
        yield started


def post(cluster: Cluster, sender: str, text: str) -> requests.Response:
    return requests.post(f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)


def say(cluster: Cluster, sender: str, text: str) -> str:
    response = post(cluster, sender, text)
    assert response.status_code == 200
    return joined(response.json())


def joined(replies: List[Dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def serving_replica(cluster: Cluster, sender: str, text: str) -> Tuple[int, str]:
    """Which Rasa server (1, 2) answered this turn, read from the balancer's counts, and the answer."""
    before = cluster.balancer_stats()
    answer = say(cluster, sender, text)
    after = cluster.balancer_stats()
    served = [name for name in after if after[name] > before.get(name, 0)]
    assert len(served) == 1, (before, after)
    return int(served[0].removeprefix("rasa")), answer


def stored_user_texts(cluster: Cluster, sender: str) -> List[str]:
    return stored_texts(cluster.postgres.url, [sender])[sender]


def test_each_conversation_stays_on_one_replica_and_both_replicas_work(cluster):
    senders = [f"lb-{uuid.uuid4().hex[:8]}" for _ in range(12)]
    replicas = {sender: serving_replica(cluster, sender, "/eigen_bijdrage_check")[0] for sender in senders}
    assert set(replicas.values()) == {1, 2}  # twelve conversations: both servers take some
    for sender in senders[:4]:
        replica, answer = serving_replica(cluster, sender, "Vervoer")
        assert replica == replicas[sender] and NEXT_QUESTION in answer


def test_the_widget_talks_through_the_balancer_with_polling_and_websocket(cluster):
    async def talk(transports: List[str]) -> str:
        async with widget_session(cluster.url, transports=transports) as session:
            first = await session.ask("/eigen_bijdrage_check")
            second = await session.ask("Vervoer")
            return "\n".join(reply.get("text", "") for reply in first + second)

    for transports in (["polling", "websocket"], ["websocket"]):
        answer = asyncio.run(talk(transports))
        assert FLOW_QUESTION in answer and NEXT_QUESTION in answer, transports


def test_the_staff_app_and_demo_page_are_served_through_the_balancer(cluster):
    page = requests.get(f"http://localhost:{cluster.ports.web}/", timeout=10)
    assert page.status_code == 200 and f"localhost:{cluster.ports.rasa}" in page.text
    assert requests.get(f"http://localhost:{cluster.ports.web}/beheer/", timeout=10).status_code in (200, 302, 303)
    assert requests.get(f"{cluster.url}/metrics", timeout=10).status_code == 404  # internal only


@pytest.mark.chromium
def test_the_widget_on_the_demo_page_works_through_the_balancer(cluster):
    """Polling then websocket, as residents' browsers do, through HAProxy; a guided flow goes on."""
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        try:
            open_widget(page, f"http://localhost:{cluster.ports.web}/")
            ask(page, "Ik wil weten wat ik moet betalen voor huishoudelijke hulp", "Over welk jaar")
            ask(page, "2026", "Is de hulp voor een kind")
            save_screenshot(page, "widget-door-haproxy")
        finally:
            page.close()


def test_an_employees_message_reaches_the_replica_that_holds_the_widget(cluster, directory_url):
    """The staff app writes to the mailbox in PostgreSQL; the Rasa server that holds the resident's
    socket.io connection, whichever it is, delivers (assistant/rasa_plugins/handover_delivery.py)."""
    handovers = HandoverStore(cluster.postgres.url, key=cluster.callback_key)

    async def talk() -> None:
        async with widget_session(cluster.url, transports=["polling", "websocket"]) as resident:
            await waiting_in_zutphen(resident)
            reference = handovers.open_for(resident.session_id).reference
            assert handovers.take(reference, "anna")
            assert message("chat_overgenomen", gemeente="Zutphen") in joined(await resident.pushed())
            assert handovers.write(reference, "Goedemiddag, ik ben Anna.", "anna")
            assert joined(await resident.pushed()) == "Goedemiddag, ik ben Anna."
            assert handovers.hand_back(reference, "anna")
            assert message("chat_teruggegeven") in joined(await resident.pushed())

    with chats_always(directory_url, "GM0301", "zutphen"):
        asyncio.run(talk())


def test_a_turn_sent_again_with_its_key_runs_once(cluster):
    """What the balancer does when a server stopped before answering; clients may do it too."""
    sender, key = f"key-{uuid.uuid4().hex[:8]}", {"Idempotency-Key": uuid.uuid4().hex}
    url, body = f"{cluster.url}/webhooks/rest/webhook", {"sender": sender, "message": "/eigen_bijdrage_check"}
    first = requests.post(url, json=body, headers=key, timeout=60).json()
    again = requests.post(url, json=body, headers=key, timeout=60).json()
    assert FLOW_QUESTION in joined(first) and again == first
    assert stored_user_texts(cluster, sender) == ["/eigen_bijdrage_check"]
    assert NEXT_QUESTION in say(cluster, sender, "Vervoer")


def test_a_killed_replica_loses_no_conversation(cluster):
    sender = f"kill-{uuid.uuid4().hex[:8]}"
    replica, answer = serving_replica(cluster, sender, "/eigen_bijdrage_check")
    assert FLOW_QUESTION in answer
    cluster.kill_replica(replica)
    try:
        other, answer = serving_replica(cluster, sender, "Vervoer")
        assert other != replica
        assert NEXT_QUESTION in answer  # the flow went on with its history, read from PostgreSQL
        assert stored_user_texts(cluster, sender) == ["/eigen_bijdrage_check", "Vervoer"]
    finally:
        cluster.restart_crashed()


def test_without_redis_residents_get_a_kind_message_and_then_go_on(cluster):
    sender = f"redis-{uuid.uuid4().hex[:8]}"
    assert FLOW_QUESTION in say(cluster, sender, "/eigen_bijdrage_check")
    cluster.redis.stop()
    try:
        response = post(cluster, sender, "Vervoer")
        assert response.status_code == 200
        assert response.json()[0]["text"].startswith(FAULT_START)
    finally:
        cluster.redis.start()
    assert NEXT_QUESTION in say(cluster, sender, "Vervoer")
    assert stored_user_texts(cluster, sender) == ["/eigen_bijdrage_check", "Vervoer"]


def test_postgresql_stopped_for_a_moment_loses_no_turn_silently(cluster):
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    assert FLOW_QUESTION in say(cluster, sender, "/eigen_bijdrage_check")
    cluster.postgres.stop()
    replies: Dict[str, str] = {}
    during = threading.Thread(target=lambda: replies.update(answer=say(cluster, sender, "Vervoer")))
    during.start()
    time.sleep(1.0)
    cluster.postgres.start()
    during.join(timeout=60)
    stored = stored_user_texts(cluster, sender)
    if replies["answer"].startswith(FAULT_START):  # told to try again: not kept, so sent again
        assert stored == ["/eigen_bijdrage_check"]
        assert NEXT_QUESTION in say(cluster, sender, "Vervoer")
    else:  # the store's retries outlasted the stop: answered and kept
        assert NEXT_QUESTION in replies["answer"]
    assert stored_user_texts(cluster, sender) == ["/eigen_bijdrage_check", "Vervoer"]


def test_fifty_residents_while_a_replica_is_killed(cluster, load_conversation):
    users, turns = 50, load_conversation
    outcomes: Dict[str, List[str]] = {}  # per sender: "answered" or "error" per turn
    done = threading.Semaphore(0)
    killer = threading.Thread(target=lambda: (wait_for(done, users * len(turns) // 2), cluster.kill_replica(1)))

    def resident(number: int) -> None:
        sender = f"load-{number}-{uuid.uuid4().hex[:6]}"
        outcomes[sender] = []
        for text in turns:
            outcomes[sender].append(turn_outcome(cluster, sender, text))
            done.release()

    killer.start()
    try:
        with ThreadPoolExecutor(max_workers=users) as pool:
            list(pool.map(resident, range(users)))
        killer.join()
    finally:
        cluster.restart_crashed()
    counts = Counter(kind for kinds in outcomes.values() for kind in kinds)
    assert counts["error"] == 0, counts  # every turn has an answer or the kind fault message
    assert counts["answered"] >= 0.9 * users * len(turns), counts
    for sender, kinds in outcomes.items():
        stored = stored_user_texts(cluster, sender)
        answered = [text for text, kind in zip(turns, kinds) if kind == "answered"]
        if not is_in_order_once(stored, turns):
            Path("/tmp/fifty_debug.json").write_text(
                json.dumps([sender, list(zip(turns, kinds)), stored], ensure_ascii=False, indent=0)
            )
        assert is_in_order_once(stored, turns), (sender, list(zip(turns, kinds)), stored)
        assert all(text in stored for text in answered), (sender, stored, kinds)


def wait_for(done: threading.Semaphore, count: int) -> None:
    for _ in range(count):
        done.acquire()


def turn_outcome(cluster: Cluster, sender: str, text: str) -> str:
    """ "answered"; "told" (the kind fault message, from Wegwijzer or the balancer); "error" (anything else)."""
    try:
        response = post(cluster, sender, text)
        replies = response.json()
    except (requests.RequestException, ValueError):
        return "error"
    texts = [reply.get("text", "") for reply in replies if isinstance(reply, dict)]
    if texts and texts[0].startswith(FAULT_START):
        return "told" if response.status_code == 200 else f"told by the balancer ({response.status_code})"
    return "answered" if response.status_code == 200 and replies else "error"


def is_in_order_once(stored: List[str], sent: List[str]) -> bool:
    """`stored` is `sent` with some messages left out: none twice, none out of order."""
    position = 0
    for text in stored:
        while position < len(sent) and sent[position] != text:
            position += 1
        if position == len(sent):
            return False
        position += 1
    return True
