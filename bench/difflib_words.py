"""Word-level diff of two files with Python's difflib, as a baseline.

Usage: difflib_words.py A B [--time]
Prints the changed word runs (like a word diff); with --time prints only one
JSON line with the seconds spent diffing (reading and startup excluded).
"""

import difflib
import json
import sys
import time


def main():
    a_path, b_path = sys.argv[1], sys.argv[2]
    with open(a_path, encoding="utf-8") as f:
        a = f.read().split()
    with open(b_path, encoding="utf-8") as f:
        b = f.read().split()
    start = time.perf_counter()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.append(" ".join(a[i1:i2]))
        else:
            if i2 > i1:
                out.append("[-" + " ".join(a[i1:i2]) + "-]")
            if j2 > j1:
                out.append("{+" + " ".join(b[j1:j2]) + "+}")
    text = " ".join(out)
    seconds = time.perf_counter() - start
    if "--time" in sys.argv:
        print(json.dumps({"seconds": round(seconds, 6)}))
    else:
        print(text)


if __name__ == "__main__":
    main()
