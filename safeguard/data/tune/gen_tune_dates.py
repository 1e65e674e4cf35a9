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
"""
import csv, json, os, subprocess, sys, tempfile

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


if source == "java":
    values, prefix = java("Dates"), "tj"
elif source == "months":
    values = node("months_moment.cjs") + java("MonthsJava")
    # Folded and without duplicates or values of digits alone.
    values = list(dict.fromkeys(
        " ".join(v.split()) for v in values if any(ch.isalpha() for ch in v)))
    prefix = "tm"
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
