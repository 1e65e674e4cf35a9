"""Evaluation set of dates with the month named in languages other than English (session 25),
from CLDR as the PyPI package babel 2.19.0 ships it (BSD-3-Clause): the long date format of every
locale whose language is not English, for one of three days in turn, every script, where a month
is named (no digits-only values); duplicates dropped; frames from frames.py. The masker's month
names come from another source (the GNU C Library's locale data), and it was tuned on moment.js's
and the Java runtime's; this set was made before that tuning and is held out.

    python3 safeguard/data/eval/gen_dates_cldr_months.py safeguard/data/eval/eval-dates-cldr-months.csv
"""
import datetime, random, sys

from babel import Locale, dates as bd
from babel.localedata import locale_identifiers

from frames import row, write

days = [datetime.date(2010, 7, 19), datetime.date(2017, 2, 8), datetime.date(2023, 12, 26)]
rng = random.Random(2025)
seen, rows, n = set(), [], 0
for ident in sorted(locale_identifiers()):
    locale = Locale.parse(ident)
    if locale.language == "en":
        continue
    value = " ".join(bd.format_date(days[n % 3], format="long", locale=locale).split())
    n += 1
    if value in seen or not any(ch.isalpha() for ch in value):
        continue
    seen.add(value)
    rows.append(row(rng, "DATE", value))
write(sys.argv[1], rows)
print(f"{len(rows)} rows", file=sys.stderr)
