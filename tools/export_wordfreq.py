"""Export the English word frequencies the engine ships (chatbot/engine/data/english.tsv.gz).

    pip install wordfreq && python tools/export_wordfreq.py

wordfreq (Robyn Speer; code Apache-2.0, data CC BY-SA 4.0) is large (57 MB) and slow to import,
so the engine ships a compact export instead: the 50,000 most frequent ASCII words with their Zipf
frequency, one decimal, and their frequency rank, sorted by word (the engine binary-searches it).
The export is CC BY-SA 4.0 like its source (see chatbot/engine/data/NOTICE).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import wordfreq

OUT = Path(__file__).resolve().parent.parent / "chatbot" / "engine" / "data" / "english.tsv.gz"


def main() -> None:
    rows = []
    for word in wordfreq.top_n_list("en", 60_000):
        if word.isascii() and word.isalpha():
            rows.append((word, f"{wordfreq.zipf_frequency(word, 'en'):.1f}", len(rows)))
        if len(rows) == 50_000:
            break
    data = "".join(f"{word}\t{zipf}\t{rank}\n" for word, zipf, rank in sorted(rows)).encode("utf-8")
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))  # mtime 0: reproducible bytes
    print(f"{len(rows)} words -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
