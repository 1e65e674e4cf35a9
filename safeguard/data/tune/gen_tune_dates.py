"""Tuning sets of dates from two sources other than CLDR's (babel's, the held-out set's), in
frames written here (session 24). `java`: the Java runtime's own locale data
(`-Djava.locale.providers=COMPAT`, Sun's from before the JDK took CLDR's; `Dates.java`; a JDK
of version 22 or older, since 23 removed that provider: this machine's is 17).
`moment`: moment.js's locales (`dates_moment.cjs`; needs `npm install --prefix /tmp/mom
moment@2.31.0`). `months` (session 25): dates with the month named in languages other than
English, each locale's long format for one day, every script, from moment.js (`months_moment.cjs`)
and the Java runtime's pre-CLDR data (`MonthsJava.java`); the masker's month list is glibc's.
Tuning sets: their misses may be read (`measure -v`).

    python3 safeguard/data/tune/gen_tune_dates.py java safeguard/data/masking-tune-dates-java.csv
    python3 safeguard/data/tune/gen_tune_dates.py moment safeguard/data/masking-tune-dates-moment.csv
    python3 safeguard/data/tune/gen_tune_dates.py months safeguard/data/masking-tune-dates-months.csv
    python3 safeguard/data/tune/gen_tune_dates.py glibc safeguard/data/masking-tune-dates-glibc.csv
    python3 safeguard/data/tune/gen_tune_dates.py calendars safeguard/data/masking-tune-dates-calendars.csv

`calendars` (session 26): Solar Hijri and Islamic dates of three days in formats written here,
from npm moment-jalaali's and moment-hijri's month names and digits (`dates_calendars.cjs`;
needs `npm install --prefix /tmp/cal moment-jalaali@0.10.5 moment-hijri@3.0.0`).

`glibc` (session 26): each locale's short date (`%x`) and its date-and-time format with the time
left out, for one of three days, from glibc's locale sources (`/usr/share/i18n/locales`, Debian's
`locales` package), each compiled with `localedef` into a temporary folder (about seven minutes
on two cores) and printed by `date`.
"""
import csv, json, os, re, subprocess, sys, tempfile

FRAMES = [
    "my next review is {}",
    "{} is when i moved in",
    "they said {} but nobody came",
    "started at the new school on {}",
    "Date: {}",
    "court date was {} and i was scared",
]

here = os.path.dirname(os.path.abspath(__file__))
source, path = sys.argv[1], sys.argv[2]


def java(name):
    """The lines a Java class beside this file prints, with the runtime's pre-CLDR data."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["javac", "-d", out, os.path.join(here, f"{name}.java")], check=True)
        return subprocess.run(["java", "-Djava.locale.providers=COMPAT", "-cp", out, name],
                              check=True, capture_output=True, text=True).stdout.splitlines()


def node(script):
    """The lines a node script beside this file prints, with moment.js from /tmp/mom."""
    env = dict(os.environ, NODE_PATH="/tmp/mom/node_modules")
    return subprocess.run(["node", os.path.join(here, script)], env=env,
                          check=True, capture_output=True, text=True).stdout.splitlines()


# A time directive and what joins it to the next; what is left of a date-and-time format
# once they are gone is the locale's long date.
TIME = re.compile(r"\s*%[-_0^#]?[EO]?[HMSTrRpPIZzlkX](?:[\s:.h]*%[-_0^#]?[EO]?[HMSTrRpPIZzlkX])*")
LOCALE = re.compile(r"^[a-z]{2,3}_[A-Z]{2}(@[a-z]+)?$")


def glibc():
    """Each glibc locale's short and long date of one of three days, without duplicates."""
    days = ["2012-05-03", "2019-10-21", "2024-01-28"]
    sources = "/usr/share/i18n/locales"
    names = sorted(n for n in os.listdir(sources) if LOCALE.match(n))
    values = []
    with tempfile.TemporaryDirectory() as compiled:
        for i, name in enumerate(names):
            # -c: some sources warn (a missing translit table) yet compile to a usable locale.
            made = subprocess.run(["localedef", "-c", "-i", name, "-f", "UTF-8",
                                   os.path.join(compiled, f"{name}.UTF-8")], capture_output=True)
            if made.returncode > 1:
                continue
            env = dict(os.environ, LOCPATH=compiled, LC_ALL=f"{name}.UTF-8")
            both = subprocess.run(["locale", "-k", "d_t_fmt"], env=env, check=True,
                                  capture_output=True, text=True).stdout.strip()
            long = TIME.sub("", both.split("=", 1)[1].strip('"')).strip(" ,.-")
            # Words before the first directive belong to the time left out ("و ت" in pa_PK).
            long = long[long.find("%"):] if "%" in long else ""
            for fmt in ["%x", long]:
                if not fmt:
                    continue
                value = subprocess.run(["date", "-d", days[i % 3], "+" + fmt], env=env,
                                       check=True, capture_output=True, text=True).stdout
                values.append(" ".join(value.split()))
    return list(dict.fromkeys(v for v in values if v))


if source == "java":
    values, prefix = java("Dates"), "tj"
elif source == "months":
    values = node("months_moment.cjs") + java("MonthsJava")
    # Folded and without duplicates or values of digits alone.
    values = list(dict.fromkeys(
        " ".join(v.split()) for v in values if any(ch.isalpha() for ch in v)))
    prefix = "tm"
elif source == "glibc":
    values, prefix = glibc(), "tg"
elif source == "calendars":
    env = dict(os.environ, NODE_PATH="/tmp/cal/node_modules")
    values = subprocess.run(["node", os.path.join(here, "dates_calendars.cjs")], env=env,
                            check=True, capture_output=True, text=True).stdout.splitlines()
    prefix = "tc"
else:
    values, prefix = node("dates_moment.cjs"), "td"
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "text", "spans"])
    for i, value in enumerate(values):
        frame = FRAMES[i % len(FRAMES)]
        start = frame.index("{}")
        spans = [{"start": start, "end": start + len(value), "type": "DATE"}]
        w.writerow([f"{prefix}{i + 1}", frame.replace("{}", value),
                    json.dumps(spans, separators=(",", ":"))])
print(f"{len(values)} rows", file=sys.stderr)
