"""Evaluation set of given names from many countries: nam_dict.txt (Jörg Michael's list of
first names with their use in 54 countries, including Arabia/Persia, Turkey, India, China,
Vietnam and Africa), as shipped in the PyPI package gender-guesser 0.4.0 (GPLv3, so the
generated file is not committed: the measure example reads it from a path). 500 names drawn at
random, in the frames of frames.py; a quarter in lower case.

    python3 safeguard/data/eval/gen_namdict.py /tmp/eval-namdict.csv
"""
import os, random, sys

import gender_guesser

from frames import row, write

path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
names = []
for line in open(path, encoding="iso-8859-1"):
    if line.startswith("#") or len(line) < 30 or line[0] == "=":
        continue
    name = line[3:29].strip()
    # Latin letters only, one word, no "+" joins (the list writes "Abd+al" for "Abd al").
    if name.isalpha() and name.isascii() and len(name) > 2:
        names.append(name)
rng = random.Random(15)
chosen = rng.sample(sorted(set(names)), 500)
rows = [row(rng, "NAME", n, lower=rng.random() < 0.25) for n in chosen]
write(sys.argv[1], rows)
print(f"{len(rows)} rows from {len(set(names))} names", file=sys.stderr)
