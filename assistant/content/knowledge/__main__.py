"""`python -m assistant.content.knowledge check FILE [FACTS_FILE]`: the problems of one file."""

import sys
from pathlib import Path

from assistant.content.knowledge.checks import problems


def main(arguments: list) -> int:
    if len(arguments) not in (2, 3) or arguments[0] != "check":
        print(__doc__)
        return 2
    extra_facts = Path(arguments[2]) if len(arguments) == 3 else None
    found = problems([Path(arguments[1])], extra_facts)
    for problem in found:
        print(problem)
    print(f"{len(found)} problems" if found else "no problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
