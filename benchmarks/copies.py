"""Copies at 1,000 documents: ``find_copies`` over generated texts, timed and profiled.

    .venv/bin/python benchmarks/copies.py [--profile]

1,000 documents of 5,500 characters drawn from the seed vocabulary (more chance word overlaps than
real news), every tenth copying half of an earlier one: the case docs/performance.md reports.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from run import make_text

from annotator.copies import find_copies


def documents(count: int = 1000, size: int = 5500, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts: list[tuple[str, str]] = []
    for n in range(count):
        text = make_text(size, rng)
        if n % 10 == 9:
            earlier = texts[rng.randrange(len(texts))][1]
            text = text[:size // 2] + earlier[:size // 2]
        texts.append((f"doc{n:04}", text))
    return texts


def main() -> None:
    texts = documents()
    started = time.perf_counter()
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        passages = profile.runcall(find_copies, texts)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    else:
        passages = find_copies(texts)
    print(f"{len(texts)} documents, {len(passages)} passages: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
