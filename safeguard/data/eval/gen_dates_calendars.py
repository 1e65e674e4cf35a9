"""Evaluation set of dates in other calendars (session 26): the Solar Hijri, Islamic and
Ethiopian dates that gen_dates_calendars.mjs prints from node's ICU (CLDR's formats, every style,
for the languages that use each calendar and English), white space folded, duplicates dropped,
put into the frames of frames.py. Made before the masker knew these calendars, and held out: the
months it learnt come from other packages (npm moment-jalaali and moment-hijri).

    node safeguard/data/eval/gen_dates_calendars.mjs > /tmp/calendars.json
    python3 safeguard/data/eval/gen_dates_calendars.py /tmp/calendars.json safeguard/data/eval/eval-dates-calendars.csv
"""
import json, random, sys

from frames import row, write

rng = random.Random(26)
seen, rows = set(), []
for _locale, _calendar, _style, value in json.load(open(sys.argv[1], encoding="utf-8")):
    value = " ".join(value.split())
    if value in seen:
        continue
    seen.add(value)
    rows.append(row(rng, "DATE", value))
write(sys.argv[2], rows)
print(f"{len(rows)} rows", file=sys.stderr)
