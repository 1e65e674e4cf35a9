"""Evaluation set of school names: the names of 3,401 schools in England (Get Information about
Schools, the Department for Education's register, as copied into the data files of
DFE-Digital/get-help-with-tech-prototype over its history). 500 drawn at random, half as
registered ("Southwood Infant School", "St Mary's Church of England Primary School, Ardleigh")
and half as people say them, without the last "School" ("Broughton High", "Southwood Infant");
a quarter in lower case. The frames below were written with this generator, before the school
finder was changed, and not changed after.

Reads the repository as the search tool's `fetch` leaves it (bare git under /work/.mirror, or
HEARD_MIRROR_ROOT):

    python3 safeguard/data/eval/gen_schools_gias.py safeguard/data/eval/eval-schools-gias.csv
"""
import os, random, re, subprocess, sys

from frames import write

ROOT = os.environ.get("HEARD_MIRROR_ROOT", "/work/.mirror")
GIT = os.path.join(ROOT, "DFE-Digital+get-help-with-tech-prototype", "repo")
FILES = ["app/data/local-authority-schools.js", "app/data/responsible-body-schools.js"]

FRAMES = [
    "i go to {}",
    "I go to {} and I like it",
    "{} is my school",
    "i used to go to {} but i had to move",
    "my teacher at {} is nice",
    "when i moved to {} nobody talked to me",
    "School: {}",
    "my little brother goes to {} now",
    "i got excluded from {} last year",
    "the best thing about {} is my friends",
]


def git(*args):
    return subprocess.run(["git", "--git-dir", GIT, *args], capture_output=True, text=True).stdout


names = set()
for commit in git("log", "--all", "--format=%H").split():
    for f in FILES:
        for m in re.finditer(r"^\s*name: (['\"])(.*?)\1,?\s*$", git("show", f"{commit}:{f}"), re.M):
            names.add(m.group(2).replace("\\'", "'"))
rng = random.Random(21)
chosen = rng.sample(sorted(names), 500)
rows = []
for i, name in enumerate(chosen):
    value = name
    if i % 2 == 1:
        value = re.sub(r"\s+School$", "", value)
    if rng.random() < 0.25:
        value = value.lower()
    frame = rng.choice(FRAMES)
    start = frame.index("{}")
    rows.append((frame.replace("{}", value, 1), [{"start": start, "end": start + len(value), "type": "SCHOOL"}]))
write(sys.argv[1], rows)
print(f"{len(rows)} rows from {len(names)} school names", file=sys.stderr)
