"""What a resident reads: the YAML files and their loaders side by side (facts, answers, messages,
questions' texts, labels), contact texts, the municipalities' own data checks, readability."""
