"""Fuzzed messages against the real servers, from a seeded generator (the same messages every
run): 1,000 over REST from 8 clients at once and 100 over socket.io, few enough for the whole
test run to stay under 20 minutes (2,000 and 200 took 6 minutes). Every message gets an answer
with text, within a bound, without a traceback or markup coming back; afterwards the assistant
answers as before."""

import asyncio
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import requests
import socketio

SEED = 20261204
REST_MESSAGES, SOCKETIO_MESSAGES, CLIENTS = 1000, 100, 8
TURN_BOUND = 25.0  # seconds: the channels' own turn limit (20 s) plus margin
WORDS = (
    "wat is een pgb eigen bijdrage wmo gemeente cliëntondersteuning hulp zorg bel mij terug stop terug ja nee".split()
)
PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE events; --",
    "/greet",
    '/greet{"x":',
    '/inform_gemeente{"gemeente": "GM0363"}',
    "/restart",
    "/nlu_fallback",
    "🙂",
    "👩‍👩‍👧",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\ud800",
    "\U0001f600" * 3,
    "ẞ",
    "ﷺ",
    "מה",
    "日本語",
    "111222333",
    "06-12345678",
    "jan@example.nl",
    "NL91ABNA0417164300",
    "1011 AB",
    "Dorpsstraat 12",
    "12 maart 1948",
    "%s%s%n",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "\\",
    '"',
    "\n",
    "\t",
    " " * 50,
]


def fuzzed(generator: random.Random) -> str:
    parts = [generator.choice(WORDS + PIECES) for _ in range(generator.randint(0, 12))]
    text = " ".join(parts)
    kind = generator.random()
    if kind < 0.05:
        text = generator.choice(PIECES) * generator.randint(100, 400)  # near and over the length limit
    elif kind < 0.1:
        text = "".join(chr(generator.randint(1, 0x2FFF)) for _ in range(generator.randint(1, 80)))
    return text


def rest_turn(url: str, text: str) -> Dict:
    sender = f"fuzz-{uuid.uuid4().hex[:12]}"
    started = time.monotonic()
    response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    return {"status": response.status_code, "seconds": time.monotonic() - started, "replies": response.json()}


def test_fuzzed_messages_over_rest_are_all_answered(servers):
    generator = random.Random(SEED)
    messages = [fuzzed(generator) for _ in range(REST_MESSAGES)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda text: rest_turn(servers["url"], text), messages))
    problems = [
        (text[:60], result)
        for text, result in zip(messages, results)
        if result["status"] != 200
        or result["seconds"] > TURN_BOUND
        or not any(reply.get("text") for reply in result["replies"])
        or any(
            "Traceback" in reply.get("text", "") or "<script" in reply.get("text", "") for reply in result["replies"]
        )
    ]
    assert problems == [], f"{len(problems)} of {len(messages)}: {problems[:3]}"
    assert "persoonsgebonden budget" in rest_turn(servers["url"], "wat is een pgb")["replies"][0]["text"]


def test_fuzzed_messages_over_socketio_are_all_answered(servers):
    generator = random.Random(SEED + 1)
    messages = [fuzzed(generator) for _ in range(SOCKETIO_MESSAGES)]

    async def talk() -> List[int]:
        client = socketio.AsyncClient()
        session_id = uuid.uuid4().hex
        confirmed, answered = asyncio.Event(), asyncio.Event()
        client.on("session_confirm", lambda _data: confirmed.set())

        @client.on("bot_uttered")
        async def on_bot(_data):
            answered.set()

        await client.connect(servers["url"], socketio_path="/socket.io", transports=["websocket"])
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=30)
        unanswered = []
        for index, text in enumerate(messages):
            answered.clear()
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            try:
                await asyncio.wait_for(answered.wait(), timeout=TURN_BOUND)
            except asyncio.TimeoutError:
                unanswered.append(index)
            await asyncio.sleep(0.05)  # the rest of the turn's messages
        await client.disconnect()
        return unanswered

    unanswered = asyncio.run(talk())
    assert unanswered == [], [messages[index][:60] for index in unanswered]
