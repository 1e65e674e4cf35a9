"""Month names of the world's languages for masking dates, from the GNU C Library's locale data
as Debian ships it (package `locales`, `/usr/share/i18n/locales/`): every locale's `mon` and
`alt_mon` (full names, in the forms a date uses and alone) and `abmon` and `ab_alt_mon`
(abbreviations); since session 25, every moment.js locale's (`moment_month_names.cjs`); since
session 26, the months of the Solar Hijri, Islamic and Ethiopian calendars
(`calendar_months.cjs`). The scripts' outputs are the arguments. Written to `months.txt`, one
name a line in lower case, with `a` for a name that is only ever an abbreviation (found with a
day only when a year follows too) and `h` for a month of those calendars.

Left out: names with a digit (CJK and Vietnamese months are numbered and have their own
patterns) and names of one letter; the pattern for English, French, Spanish, German, Italian and
Portuguese months in `dates.rs` keeps its own. Since session 26 (left out before), names of two
letters outside Chinese ("मई") are marked `a`, found only with a day and a year; names that are
everyday English words (`../names/words.txt`: "sty", "her"; not English months) and of two Latin
letters ("me", "ju") are marked `t`, found only as a day, the name and a year in that order.

    NODE_PATH=/tmp/mom/node_modules node safeguard/data/months/moment_month_names.cjs > /tmp/moment-months.txt
    NODE_PATH=/tmp/cal/node_modules node safeguard/data/months/calendar_months.cjs > /tmp/calendar-months.txt
    python3 safeguard/data/months/derive.py /tmp/moment-months.txt /tmp/calendar-months.txt > safeguard/data/months/months.txt
    python3 safeguard/data/months/derive.py /tmp/moment-months.txt weekdays > safeguard/data/months/weekdays.txt

With `weekdays` (session 26) it prints instead the names of the days of the week (glibc's `day`
and `abday`, moment's `dddd` and `ddd`), which the masker takes into a date they stand beside.
Since session 26 a dot inside a name is a space and joiners are dropped, as the masker reads
them ("พ.ค", Thai for May, is two words).
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


full, short, tiny = set(), set(), set()
# Months of the Solar Hijri, Islamic and Ethiopian calendars, whose years (1300-1499 too) differ.
calendar = set()


def normalize(value):
    """Lower case, one space between words, no dot at the end; joiners and dots inside dropped,
    as the masker reads them ("ഒക്‌ടോബർ", "พ.ค" as "พ ค")."""
    value = unicodedata.normalize("NFC", value).strip().lower()
    value = value.replace("\u200c", "").replace("\u200d", "").rstrip(".")
    return re.sub(r"[\s.]+", " ", value).strip()


def keep(value, abbreviation, other_calendar=False):
    # "Rabi' al-Awwal" is read as the words "rabi" and "al-awwal".
    value = re.sub(r"['’](?=\s|$)", "", normalize(value))
    if other_calendar:
        calendar.add(value)
    # A vowel sign is a letter of its own in Indic scripts ("মে" is two).
    letters = sum(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in value)
    cjk = any("\u3000" <= ch <= "\u9fff" for ch in value)
    if any(ch.isdigit() for ch in value) or letters < 2:
        return
    if (value.isascii() and letters < 3) or (value in words and value not in english):
        # "me", "sty" (Polish for January), "her" are English words or stray letters as often:
        # a month only between a day and a year ("03 me 2012", "28 sty 2024").
        tiny.add(value)
    elif letters < 3 and not cjk:
        # "मई" (Hindi for May): found only with a day and a year.
        short.add(value)
    else:
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


days, wordy_days = set(), set()
english_days = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def keep_day(value):
    value = normalize(value)
    letters = sum(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in value)
    if any(ch.isdigit() for ch in value) or letters < 2:
        return
    if (value.isascii() and letters < 3) or (value in words and value not in english_days):
        wordy_days.add(value)
    else:
        days.add(value)


for name in sorted(os.listdir(LOCALES)):
    path = os.path.join(LOCALES, name)
    if not os.path.isfile(path):
        continue
    text = re.sub(r"/\n\s*", "", open(path, encoding="utf-8", errors="replace").read())
    for line in text.splitlines():
        m = re.match(r"^\s*(day|abday)\s+(\".*)$", line)
        if m:
            for value in re.findall(r'"([^"]*)"', m.group(2)):
                keep_day(decode(value))

for path in (a for a in sys.argv[1:] if a != "weekdays"):
    for line in open(path, encoding="utf-8"):
        form, _, value = line.rstrip("\n").partition("\t")
        if form == "W":
            keep_day(value)
        else:
            keep(value, form.startswith("S"), form.endswith("H"))

if "weekdays" in sys.argv[1:]:
    print("# Names of the days of the week in the world's languages, lower case; `t` = an English")
    print("# word or two Latin letters, taken beside a date only with a comma or dot between.")
    print("# From glibc's locale data (Debian `locales`) and moment.js's locales (MIT); see derive.py.")
    for value in sorted(days | wordy_days):
        print(value if value in days else f"{value}\tt")
    sys.exit()

print("# Month names of the world's languages, lower case; `a` = found only with a day and a")
print("# year; `t` = only as a day, the name and a year in that order; `h` = a month of the Solar")
print("# Hijri, Islamic or Ethiopian calendar, whose years may be 1300-1499 as well.")
print("# From glibc's locale data (Debian `locales`; no copyright is claimed in it) and moment.js's")
print("# locales (MIT); see derive.py and README.md.")
for value in sorted(full | short | tiny):
    tag = "" if value in full else "a" if value in short else "t"
    tag += "h" if value in calendar else ""
    print(f"{value}\t{tag}" if tag else value)
