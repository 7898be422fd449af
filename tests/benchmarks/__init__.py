"""The benchmark scripts' own logic."""
