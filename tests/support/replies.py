"""Reading the bot's replies in end-to-end tests."""

from typing import Dict, List


def joined(replies: List[Dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def button_titles(replies: List[Dict]) -> List[str]:
    return [button["title"] for reply in replies for button in reply.get("buttons", [])]


def button_payload(replies: List[Dict], title: str) -> str:
    return next(
        button["payload"] for reply in replies for button in reply.get("buttons", []) if button["title"] == title
    )
