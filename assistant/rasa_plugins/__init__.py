"""The only code under assistant/ that imports Rasa: the input channels with their limits, the
redacting tracker store, and Rasa's log output without what residents type."""
