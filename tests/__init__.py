"""Wegwijzer's tests, as a package that mirrors the code; shared helpers in tests/support/."""
