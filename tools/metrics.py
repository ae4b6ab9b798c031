"""Size and complexity of the generator (issue 23's measure): lines, modules
over 600 lines, radon's cyclomatic complexity (mean over every block, and the
worst). ``python tools/metrics.py [ROOT]``; exits 1 when a limit is broken.
Needs radon (the ``dev`` extra)."""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_LINES, MAX_COMPLEXITY, MAX_MEAN = 600, 20, 4.0


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".") / "generator"
    lines = 0
    long_modules: list[str] = []
    scores: list[tuple[int, str]] = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text("utf-8")
        count = text.count("\n")
        lines += count
        if count > MAX_LINES:
            long_modules.append(f"{path.relative_to(root.parent)} ({count})")
        for block in cc_visit(text):
            name = f"{path.relative_to(root.parent)}:{block.fullname}"
            scores.append((block.complexity, name))
    mean = sum(s for s, _ in scores) / len(scores)
    worst = max(scores)
    print(f"lines: {lines}")
    print(f"modules over {MAX_LINES} lines: {len(long_modules)} {long_modules}")
    print(f"complexity: mean {mean:.2f} over {len(scores)} blocks, worst {worst}")
    over = sorted((s for s in scores if s[0] > MAX_COMPLEXITY), reverse=True)
    for score, name in over:
        print(f"  over {MAX_COMPLEXITY}: {score} {name}")
    return int(bool(long_modules or over or mean > MAX_MEAN))


if __name__ == "__main__":
    raise SystemExit(main())
