"""Time CollateX aligning several witnesses at word level.

Usage: collatex_time.py [--words-only] FILE[:FIRST-LAST] ...
Each argument is a file, optionally with a 1-based inclusive line span (the
story's lines from the generator's gold). Prints one JSON line with the
witness count, words and seconds spent in collate().
"""

import json
import sys
import time

from collatex import Collation, collate


def witness(arg):
    path, _, span = arg.partition(":")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if span:
        first, last = (int(x) for x in span.split("-"))
        lines = lines[first - 1 : last]
    return " ".join(" ".join(lines).split())


def main():
    args = sys.argv[1:]
    words_only = "--words-only" in args
    texts = [witness(a) for a in args if a != "--words-only"]
    words = sum(len(t.split()) for t in texts)
    if words_only:
        print(json.dumps({"witnesses": len(texts), "words": words}))
        return
    collation = Collation()
    for i, t in enumerate(texts):
        collation.add_plain_witness(f"w{i}", t)
    start = time.perf_counter()
    collate(collation, output="json", segmentation=False)
    seconds = time.perf_counter() - start
    print(json.dumps({"witnesses": len(texts), "words": words, "seconds": round(seconds, 4)}))


if __name__ == "__main__":
    main()
