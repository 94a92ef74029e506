"""CPU of ``annotator.tokens.token_columns`` on three corpora, against another ``tokens.py`` (main's, say):

    PYTHONPATH=. .venv/bin/python benchmarks/tokens_corpora.py OTHER/annotator/tokens.py [--rounds 5]

* seeds/: five real news articles (28 KB), every round with a fresh process state as far as the module
  keeps none;
* a Zipf corpus: 2,000 generated documents x 500 pieces over 200,000 word types (exponent 1.1) with news
  rates of capitals, numbers, attached punctuation and paragraphs: about 140,000 distinct pieces;
* with ``--db``, the texts of a project (the whole-window benchmark's export project:
  ``reviewers-1000-2-100000-schema12.db``), whose generated texts hold 1,739 distinct pieces.

Why: a tokenizer that remembers pieces (a memo of each distinct space-separated piece's tokens) measured
0.47x of the pattern on the benchmark texts but 1.3-1.6x on the Zipf corpus, and 0.89x there even with
all 140,000 pieces remembered (a large dict is cache misses). A faster path must hold on all three.
Both modules must give the same tokens (checked on every text first); rounds alternate the two.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import resource
import sqlite3
import string
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zipf_corpus(documents: int = 2000, pieces: int = 500, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    types = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 11))) for _ in range(200_000)]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(types))]
    texts = []
    for _ in range(documents):
        words = []
        for word in rng.choices(types, weights, k=pieces):
            kind = rng.random()
            if kind < 0.05:
                word = word.capitalize()
            elif kind < 0.07:
                word = str(rng.randint(1, 99_999))
            elif kind < 0.075:
                word = f"{rng.randint(1, 999)},{rng.randint(100, 999)}"
            mark = rng.random()
            word = (word + "," if mark < 0.06 else word + "." if mark < 0.11 else "“" + word if mark < 0.115
                    else word + "”" if mark < 0.12 else word + "'s" if mark < 0.125 else word)
            words.append(word)
            if rng.random() < 0.01:
                words.append("\n\n")
        texts.append(" ".join(words).replace(" \n\n ", "\n\n"))
    return texts


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def best(function: Callable[[str], object], texts: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = cpu()
        for text in texts:
            function(text)
        times.append(cpu() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the tokens.py to compare with")
    parser.add_argument("--db", type=Path, help="a project whose documents' texts are a third corpus")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ours, other = load(ROOT / "annotator" / "tokens.py", "tokens_here"), load(args.other, "tokens_other")
    corpora = {"seeds": [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))],
               "zipf": zipf_corpus()}
    if args.db:
        with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
            corpora["db"] = [text for (text,) in conn.execute("SELECT text FROM documents")]
    gc.disable()
    for name, texts in corpora.items():
        assert all(ours.token_columns(t) == other.token_columns(t) for t in texts), f"{name}: tokens differ"
        here = there = float("inf")
        for _ in range(args.rounds):  # alternated, so both see the same load
            here = min(here, best(ours.token_columns, texts, 1 if name != "seeds" else 20))
            there = min(there, best(other.token_columns, texts, 1 if name != "seeds" else 20))
        print(f"{name:6s} {len(texts):5d} texts: here {here * 1000:8.1f} ms  other {there * 1000:8.1f} ms  "
              f"ratio {here / there:.2f}")


if __name__ == "__main__":
    main()
