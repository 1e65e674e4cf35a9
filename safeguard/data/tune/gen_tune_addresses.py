"""Writes masking-tune-addresses-faker.csv (session 25): street addresses of 40 countries from the
PyPI package Faker 40.63.0 (MIT; another project than faker-js, whose addresses are the held-out
set `eval/eval-fakerjs.csv`), four a locale, every other one with its town after a comma, in
frames written for this set. A tuning set: its misses may be read (`measure -v`).

    python3 safeguard/data/tune/gen_tune_addresses.py > safeguard/data/masking-tune-addresses-faker.csv
"""
import csv, json, random, sys

from faker import Faker

LOCALES = """de_DE fr_FR es_ES it_IT pl_PL nl_NL pt_PT pt_BR ro_RO cs_CZ sk_SK hu_HU sv_SE no_NO
da_DK fi_FI tr_TR hr_HR sl_SI lt_LT lv_LV et_EE en_US en_AU en_CA en_IE en_NZ en_IN es_MX es_CO
es_AR fr_CA fr_CH de_AT de_CH nl_BE id_ID vi_VN fil_PH az_AZ""".split()
FRAMES = [
    "my old address was {}",
    "{} is where my mum lives now",
    "they moved us to {} last year",
    "post it to {} please",
    "Home address: {}",
    "i was staying at {} when it happened",
]
rng = random.Random(25)
w = csv.writer(sys.stdout)
w.writerow(["id", "text", "spans"])
n = 0
for locale in LOCALES:
    fake = Faker(locale)
    fake.seed_instance(25)
    for k in range(4):
        value = fake.street_address()
        if k % 2 == 1:
            value = f"{value}, {fake.city()}"
        value = " ".join(value.split())
        frame = rng.choice(FRAMES)
        start = frame.index("{}")
        n += 1
        spans = [{"start": start, "end": start + len(value), "type": "ADDRESS"}]
        w.writerow([f"ta{n}", frame.replace("{}", value), json.dumps(spans, separators=(",", ":"))])
