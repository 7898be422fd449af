"""The rasa-sdk actions, run with a real Tracker and CollectingDispatcher, without a Rasa server."""
