"""The input channels, the tracker store and their limits."""
