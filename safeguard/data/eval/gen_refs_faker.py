"""Check set of passport numbers, national identity numbers and IP addresses from the PyPI
package Faker (MIT): `passport_number` of every locale that makes one, `ssn` of the locales
where it is a national identity number (not en_US or en_GB, which eval-ids-faker.csv and the
finder's own tests cover), and `ipv4` (public and private). Frames written here in session 24,
with the generator, before the reference finder was measured on it; the finder was changed
once after its first measure (dates read more strictly, Italian tax codes and 16 to 20 digits
run together taken): a check, not an independent figure. Writes eval-refs-faker.csv:

    python3 safeguard/data/eval/gen_refs_faker.py safeguard/data/eval/eval-refs-faker.csv
"""
import random, sys

import faker

from frames import framed, write

PASSPORT_FRAMES = [
    "my passport number is {}",
    "passport no {} but the home office has it",
    "they kept my passport ({}) and never gave it back",
    "{} is the number on my old passport",
    "Passport: {}",
]
NATIONAL_FRAMES = [
    "my id number from back home is {}",
    "national id {} is on my card",
    "my ID card says {}",
    "{} was my number at home before we came here",
]
IP_FRAMES = [
    "my ip address is {} if that helps",
    "someone kept logging in from {} on my account",
    "IP: {}",
    "they found me from {} i think",
]
NATIONAL_LOCALES = [
    "it_IT", "zh_CN", "ko_KR", "pt_BR", "ro_RO", "tr_TR", "pl_PL", "fr_FR", "nl_NL", "uk_UA",
    "ru_RU", "es_ES", "fi_FI", "sv_SE", "no_NO", "da_DK", "cs_CZ", "hu_HU", "bg_BG", "el_GR",
    "he_IL", "th_TH", "et_EE", "lv_LV", "lt_LT", "sk_SK", "sl_SI", "hr_HR", "pt_PT", "de_AT",
    "de_CH", "fr_CH", "es_MX", "es_CO", "en_IN", "en_IE", "en_CA", "zh_TW", "ja_JP", "az_AZ",
]

rng = random.Random(24)


rows = []
passports = []
for n, loc in enumerate(faker.config.AVAILABLE_LOCALES):
    f = faker.Faker(loc)
    f.seed_instance(24 + n)
    try:
        passports.append(f.passport_number())
    except Exception:
        pass
passports = sorted(set(passports))
rng.shuffle(passports)
for value in passports[:100]:
    rows.append(framed(rng, PASSPORT_FRAMES, value, "IDENTIFIER"))
for n, loc in enumerate(NATIONAL_LOCALES):
    try:
        f = faker.Faker(loc)
    except Exception:
        continue
    f.seed_instance(24 + n)
    for _ in range(2):
        try:
            value = str(f.ssn())
        except Exception:
            break
        rows.append(framed(rng, NATIONAL_FRAMES, value, "IDENTIFIER"))
f = faker.Faker("en_GB")
f.seed_instance(24)
for i in range(60):
    value = f.ipv4_private() if i % 3 == 0 else f.ipv4_public()
    rows.append(framed(rng, IP_FRAMES, value, "IDENTIFIER"))
rng.shuffle(rows)
write(sys.argv[1], rows)
print(f"{len(rows)} rows, Faker {faker.VERSION}", file=sys.stderr)
