"""Evaluation set from the npm package @faker-js/faker (MIT): names, phone numbers, street
addresses, emails and links from 40 locales (gen_fakerjs.mjs prints them), put into the frames
of frames.py; a quarter of the names in lower case, as many children write them.

    node safeguard/data/eval/gen_fakerjs.mjs > /tmp/values.json
    python3 safeguard/data/eval/gen_fakerjs.py /tmp/values.json safeguard/data/eval/eval-fakerjs.csv
"""
import json, random, sys

from frames import row, write

rng = random.Random(15)
values = json.load(open(sys.argv[1], encoding="utf-8"))
rows = []
for kind, key in (("NAME", "name"), ("PHONE", "phone"), ("ADDRESS", "address"),
                  ("EMAIL", "email"), ("URL", "url")):
    for _loc, v in values[key]:
        if v:
            rows.append(row(rng, kind, v, lower=kind == "NAME" and rng.random() < 0.25))
rng.shuffle(rows)
write(sys.argv[2], rows)
print(f"{len(rows)} rows", file=sys.stderr)
