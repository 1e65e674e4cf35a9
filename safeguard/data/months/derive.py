"""Month names of the world's languages for masking dates, from the GNU C Library's locale data
as Debian ships it (package `locales`, `/usr/share/i18n/locales/`): every locale's `mon` and
`alt_mon` (full names, in the forms a date uses and alone) and `abmon` and `ab_alt_mon`
(abbreviations); and, since session 25, every moment.js locale's (`moment_month_names.cjs`, whose
output is the optional argument). Written to `months.txt`, one name a line in lower case, with
`a` for a name that is only ever an abbreviation (found with a day only when a year follows too).

Left out: names with a digit (CJK and Vietnamese months are numbered and have their own
patterns), names of fewer than three letters (two in Chinese), and names that are everyday English words
(`../names/words.txt`: "here", "mart", "mars") unless English uses them as months; the pattern
for English, French, Spanish, German, Italian and Portuguese months in `dates.rs` keeps its own.

    NODE_PATH=/tmp/mom/node_modules node safeguard/data/months/moment_month_names.cjs > /tmp/moment-months.txt
    python3 safeguard/data/months/derive.py /tmp/moment-months.txt > safeguard/data/months/months.txt
"""
import os, re, sys, unicodedata

LOCALES = "/usr/share/i18n/locales"
here = os.path.dirname(os.path.abspath(__file__))
words = {w.strip() for w in open(os.path.join(here, "../names/words.txt"), encoding="utf-8")
         if not w.startswith("#")}
english = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}
KEYS = {"mon": False, "alt_mon": False, "abmon": True, "ab_alt_mon": True}


def decode(s):
    return re.sub(r"<U([0-9A-Fa-f]{4,6})>", lambda m: chr(int(m.group(1), 16)), s)


full, short = set(), set()


def keep(value, abbreviation):
    value = unicodedata.normalize("NFC", value).strip().lower()
    value = re.sub(r"\s+", " ", value).rstrip(".")
    letters = sum(ch.isalpha() for ch in value)
    # Two letters are enough in Chinese ("四月"), not in alphabets ("ma", "ju").
    cjk = any("\u3000" <= ch <= "\u9fff" for ch in value)
    if any(ch.isdigit() for ch in value) or letters < (2 if cjk else 3):
        return
    if value in words and value not in english:
        return
    (short if abbreviation else full).add(value)


for name in sorted(os.listdir(LOCALES)):
    path = os.path.join(LOCALES, name)
    if not os.path.isfile(path):
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    # Lines ending in "/" continue on the next (the files' escape character).
    text = re.sub(r"/\n\s*", "", text)
    for line in text.splitlines():
        m = re.match(r"^\s*(mon|alt_mon|abmon|ab_alt_mon)\s+(\".*)$", line)
        if m:
            for value in re.findall(r'"([^"]*)"', m.group(2)):
                keep(decode(value), KEYS[m.group(1)])


if len(sys.argv) > 1:
    for line in open(sys.argv[1], encoding="utf-8"):
        form, _, value = line.rstrip("\n").partition("\t")
        keep(value, form == "S")

print("# Month names of the world's languages, lower case; `a` = only an abbreviation.")
print("# From glibc's locale data (Debian `locales`; no copyright is claimed in it) and moment.js's")
print("# locales (MIT); see derive.py and README.md.")
for value in sorted(full | short):
    print(value if value in full else f"{value}\ta")
