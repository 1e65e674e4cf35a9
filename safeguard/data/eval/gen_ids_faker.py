"""Evaluation set of identity and card numbers from the PyPI package Faker (MIT): payment card
numbers of eight schemes (a third run together, a third in groups split by spaces, a third by
hyphens) and UK National Insurance numbers (en_GB `ssn`, as Faker writes them, a quarter in
lower case). Frames written here, with the generator, before the finder was measured on it.
Writes eval-ids-faker.csv:

    python3 safeguard/data/eval/gen_ids_faker.py safeguard/data/eval/eval-ids-faker.csv
"""
import random, sys

import faker

from frames import framed, write

CARD_FRAMES = [
    "my bank card number is {}",
    "{} is the card my carer keeps for me",
    "they took my card {} and spent my money",
    "i gave my card number {} to someone online",
    "card: {} exp 04/27",
]
NI_FRAMES = [
    "my national insurance number is {}",
    "NI no {} if you need it",
    "i lost the letter with {} on it",
    "my ni number is {} and i need help with universal credit",
]
SCHEMES = ["visa16", "visa13", "mastercard", "amex", "discover", "jcb16", "diners", "maestro"]

rng = random.Random(19)
fake = faker.Faker("en_GB")
fake.seed_instance(19)


def grouped(digits, sep):
    sizes = [4, 6, 5] if len(digits) == 15 else [4] * (len(digits) // 4) + (
        [len(digits) % 4] if len(digits) % 4 else [])
    out, i = [], 0
    for n in sizes:
        out.append(digits[i:i + n])
        i += n
    return sep.join(out)


rows = []
for i in range(200):
    digits = fake.credit_card_number(card_type=SCHEMES[i % len(SCHEMES)])
    style = i % 3
    value = digits if style == 0 else grouped(digits, " " if style == 1 else "-")
    rows.append(framed(rng, CARD_FRAMES, value, "IDENTIFIER"))
for i in range(100):
    value = fake.ssn()
    if i % 4 == 0:
        value = value.lower()
    rows.append(framed(rng, NI_FRAMES, value, "IDENTIFIER"))
rng.shuffle(rows)
write(sys.argv[1], rows)
print(f"{len(rows)} rows, Faker {faker.VERSION}", file=sys.stderr)
