"""Wegwijzer: the product around Rasa (facts, answers, privacy, command line, web page)."""
