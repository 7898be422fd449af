"""What a resident reads: facts, answers, readability, the facts check."""
