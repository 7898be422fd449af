"""Bad input, faults and attacks against the real servers."""
