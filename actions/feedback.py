"""After an answer, the widget asks "Heeft dit antwoord u geholpen?" (assistant/conversations/feedback.py)."""

from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.feedback import FEEDBACK_REQUEST


def ask_if_it_helped(dispatcher: CollectingDispatcher) -> None:
    """A message without text that tells the widget to ask for feedback on the answer before it."""
    dispatcher.utter_message(json_message=dict(FEEDBACK_REQUEST))
