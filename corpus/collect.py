"""Copy writers' batches into corpus/messages/, marking each record's kind.

    python corpus/collect.py /path/to/raw/batches

A batch file is named after its writer (`w07.jsonl`); writers whose id starts with
`c` wrote crisis lines, the others messages to a partner.
`team.jsonl` holds the team's own earlier messages (written by the rules' authors, kept
for training only); it was made once from the first corpus and is not rewritten here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(raw: Path) -> int:
    out = HERE / "messages"
    out.mkdir(exist_ok=True)
    for path in sorted(raw.glob("*.jsonl")):
        kind = "crisis" if path.stem.startswith("c") else "coach"
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                record["kind"] = kind
                lines.append(json.dumps(record, ensure_ascii=False))
        (out / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(lines)} records ({kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
