"""Custom actions: thin adapters between the Rasa tracker and the plain-Python logic
in `assistant/` and `municipalities/`."""
