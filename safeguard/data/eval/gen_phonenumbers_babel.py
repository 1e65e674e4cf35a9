"""Evaluation set from the PyPI packages phonenumbers (Apache-2.0: Google's libphonenumber
metadata, an example mobile and fixed-line number for every region, written in international and
national format) and babel (BSD-3-Clause: CLDR's date formats, short to full, for every English
locale, and the short numeric format of every locale). Values from those packages, frames from
frames.py. Writes eval-phonenumbers-babel.csv:

    python3 safeguard/data/eval/gen_phonenumbers_babel.py safeguard/data/eval/eval-phonenumbers-babel.csv
"""
import datetime, random, re, sys

import babel, phonenumbers
from babel import Locale, dates as bd
from babel.localedata import locale_identifiers
from phonenumbers import PhoneNumberFormat as F, PhoneNumberType as T

from frames import row, write

rng = random.Random(15)
rows = []
for region in sorted(phonenumbers.SUPPORTED_REGIONS):
    for t in (T.MOBILE, T.FIXED_LINE):
        n = phonenumbers.example_number_for_type(region, t)
        if n is None:
            continue
        for fmt in (F.INTERNATIONAL, F.NATIONAL):
            s = phonenumbers.format_number(n, fmt)
            if rng.random() < 0.5 or fmt == F.INTERNATIONAL:
                rows.append(row(rng, "PHONE", s))
seen = set()
day = [datetime.date(2009, 3, 12), datetime.date(2016, 11, 5), datetime.date(2021, 6, 30)]
for loc in sorted(locale_identifiers()):
    try:
        locale = Locale.parse(loc)
    except Exception:
        continue
    english = loc == "en" or loc.startswith("en_")
    for width in (("short", "medium", "long", "full") if english else ("short",)):
        s = bd.format_date(rng.choice(day), width, locale=locale)
        if not english and not re.fullmatch(r"[0-9./\- ]+", s):
            continue
        if s in seen:
            continue
        seen.add(s)
        rows.append(row(rng, "DATE", s))
rng.shuffle(rows)
write(sys.argv[1], rows)
print(f"{len(rows)} rows, phonenumbers {phonenumbers.__version__}, babel {babel.__version__}", file=sys.stderr)
