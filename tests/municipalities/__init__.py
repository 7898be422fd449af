"""The municipal directory library."""
