"""Build the Dutch spaCy pipeline that config.yml's SpacyNLP loads.

No trained Dutch spaCy model can be downloaded here, so this is a blank `nl` pipeline
(spaCy's Dutch tokenizer) with a lookup lemmatizer from spacy-lookups-data, saved to
var/spacy_nl (a few MB). Building it takes a second; it is rebuilt only when missing.
"""

from pathlib import Path

from assistant.settings import SPACY_PIPELINE_DIR

PIPELINE_DIR = SPACY_PIPELINE_DIR


def build_pipeline(target: Path = PIPELINE_DIR) -> Path:
    if (target / "config.cfg").exists():
        return target
    import spacy  # only when building: importing spaCy also loads TensorFlow (seconds)

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.to_disk(target)
    return target


if __name__ == "__main__":
    print(build_pipeline())
