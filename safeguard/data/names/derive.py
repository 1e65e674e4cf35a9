"""Derives names.txt (given names and surnames from many countries) for the masker.

Run with the PyPI packages Faker, mimesis and wordfreq installed (versions in names.txt's header):
    python3 safeguard/data/names/derive.py > safeguard/data/names/names.txt

Names in Latin script only (children write in English); each name is tagged with how common it
is as an English word (wordfreq's Zipf frequency), so the masker can ask for a cue before it
masks "Will" or "Hope". Names of one letter, and words that are far too common in English to be
names in running text at all (Zipf >= 5.5: "the", "can", "man"), are left out.

Each name gets a class: `w` when it is also an everyday word (in lower case in Debian's
wamerican word list, /usr/share/dict/american-english, and with Zipf >= 3.0 in English, or a
country, language, month or day), masked only with a cue or beside another name; `n` otherwise.
"""
import importlib, json, os, pkgutil, re, sys, unicodedata

import babel, faker, faker.providers.person as fpp, mimesis, wordfreq
from babel import Locale

LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’\-]*$")
names = set()


def add(n):
    for part in re.split(r"[\s]+", str(n)):
        part = part.strip(".,")
        if len(part) >= 2 and LATIN.match(part):
            names.add(part.lower())


for m in pkgutil.iter_modules(fpp.__path__):
    mod = importlib.import_module(f"faker.providers.person.{m.name}")
    prov = getattr(mod, "Provider", None)
    if prov is None:
        continue
    for attr in ("first_names", "first_names_male", "first_names_female", "last_names",
                 "first_names_nonbinary", "last_names_male", "last_names_female"):
        v = getattr(prov, attr, None)
        if isinstance(v, dict):
            v = list(v.keys())
        if isinstance(v, (list, tuple)):
            for n in v:
                add(n)

ds = os.path.join(os.path.dirname(mimesis.__file__), "datasets")
for loc in sorted(os.listdir(ds)):
    p = os.path.join(ds, loc, "person.json")
    if not os.path.exists(p):
        continue
    d = json.load(open(p, encoding="utf-8"))
    fn = d.get("names", {})
    for v in (fn.values() if isinstance(fn, dict) else [fn]):
        for n in v:
            add(n)
    ln = d.get("last_names", {})
    for v in (ln.values() if isinstance(ln, dict) else [ln]):
        for n in v:
            add(n)

DICT = set()
for line in open("/usr/share/dict/american-english", encoding="utf-8"):
    w = line.strip()
    if w and w == w.lower() and "'" not in w:
        DICT.add(w)
en = Locale("en")
PLACES = set()
for v in list(en.territories.values()) + list(en.languages.values()):
    if " " not in v:
        PLACES.add(v.lower())
for w in ("january february march april may june july august september october november "
          "december monday tuesday wednesday thursday friday saturday sunday english british "
          "scottish welsh irish african american asian muslim christian jewish hindu sikh").split():
    PLACES.add(w)
# First names whose other sense is rare in what children write ("john", "tom").
# So are the names in the masker's list of names common in England (safeguard/first-names.txt),
# except those it already treats as words ("will", "hope").
FORCE_NAME = set("john tom lee jim ted".split())
HAND_WORDS = set()
# Names that are also words children use; the same as the masker's cue-only list before.
for w in ("will may grace hope rose mark bill joy faith summer amber sky skye river april june "
          "august dawn heather holly ivy jade pearl robin sunny honey penny crystal star angel "
          "chance frank guy jack max miles rich ray sue pat drew gene lily daisy autumn storm "
          "rocky mo don art nick jean cliff dean king brook brooke lane hunter carter mason "
          "cooper taylor page paige reign rain sage ruby asia india harmony eve ace bo jay kit "
          "van rue").split():
    PLACES.add(w)
    HAND_WORDS.add(w)
here = os.path.dirname(os.path.abspath(__file__))
for line in open(os.path.join(here, "..", "..", "first-names.txt"), encoding="utf-8"):
    n = line.strip().lower()
    if n and not n.startswith("#") and n not in HAND_WORDS:
        FORCE_NAME.add(n)
# Places, faiths, brands and abbreviations among the names, found by reading the commonest:
# masked only with a cue, as everyday words are.
for w in ("york london washington texas paris florida angeles boston virginia francisco sydney "
          "hollywood santa rome dallas houston islam columbia arizona berlin atlanta melbourne "
          "rio madrid las nazi isis maryland cleveland missouri brooklyn denver orleans tennessee "
          "jerusalem md birmingham maine aka easter richmond holland les te ab ave bristol til ta "
          "sen geneva indie adelaide stanford vienna grande munich sep und essex memphis manila "
          "sacramento alberta iso res lyon venus apollo caesar philippine eco imo ja tri uni bali "
          "jupiter mets fo lagos coca chevrolet porsche viking valencia geo lancaster durham "
          "kingston arlington salem nile versa sur christ jesus cia theres ing ka na un en "
          "chelsea montana nevada orlando milan columbus indiana lincoln hamilton america "
          "americas europe african asian arabic").split():
    PLACES.add(w)
# Particles of names ("bin", "van der"), not names alone: the masker joins them to a name.
PARTICLES = set("d' de al el la le da di du del der den van von bin ibn abu bint st dos das y".split())

print(f"# Given names and surnames in Latin script from many countries, for masking names.")
print(f"# From the PyPI packages Faker {faker.VERSION} (MIT) and mimesis {mimesis.__version__} (MIT):")
print(f"# every person provider's first and last names, every mimesis locale's names and surnames.")
print("# Derived by derive.py beside this file (which says how), with wordfreq 3.1.1 (Apache-2.0;")
print("# only whether a word is common is used), Babel's English names of countries and languages")
print(f"# (babel {babel.__version__}, BSD-3-Clause) and Debian's wamerican word list (2020.12.07-2).")
print("# Each line: name<TAB>class, n = a name, w = also an everyday word (masked only with a cue).")
kept = 0
for n in sorted(names):
    z = wordfreq.zipf_frequency(n, "en")
    if (z >= 5.5 and n not in PLACES) or n in PARTICLES or len(n) < 2 or n.endswith("'"):
        continue
    cls = "n" if n in FORCE_NAME else "w" if (n in DICT and z >= 3.0) or n in PLACES else "n"
    print(f"{n}\t{cls}")
