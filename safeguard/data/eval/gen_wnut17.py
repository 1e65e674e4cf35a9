"""Evaluation set of names in real social-media text: the test split of the WNUT 2017 Emerging
Entities data (leondz/emerging_entities_17, CC BY 4.0; Derczynski et al. 2017): 1,287 texts
from YouTube comments, Stack Exchange answers, Twitter and Reddit, in the annotators' own
tokens, joined with single spaces. Every "person" entity (real people, fictional characters,
usernames such as "dmckee") is labelled NAME; locations, groups, products, works and companies
are left unlabelled, so masking one of them as a name counts against precision. No frames: the
texts are as written. Written in session 22, after that session's masking changes; both builds
were measured on it after.

The same data's development split (1,009 YouTube comments, 470 names) is a tuning set, whose
misses `measure -v` lists: `--dev` writes it instead.

    python3 safeguard/data/eval/gen_wnut17.py safeguard/data/eval/eval-wnut17.csv
    python3 safeguard/data/eval/gen_wnut17.py --dev safeguard/data/masking-tune-wnut17-dev.csv
"""
import os, subprocess, sys

from frames import write

ROOT = os.environ.get("HEARD_MIRROR_ROOT", "/work/.mirror")
GIT = os.path.join(ROOT, "leondz+emerging_entities_17", "repo")
COMMIT = "e52a2d2"

dev = sys.argv[1] == "--dev"
split = "emerging.dev.conll" if dev else "emerging.test.annotated"
git_dir = os.path.join(GIT, ".git") if os.path.isdir(os.path.join(GIT, ".git")) else GIT
raw = subprocess.run(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{split}"],
                     capture_output=True, text=True, check=True).stdout
rows, tokens = [], []


def flush():
    if not tokens:
        return
    text, spans, open_span = "", [], None
    for word, tag in tokens:
        if text:
            text += " "
        start = len(text)
        text += word
        if tag == "B-person" or tag == "I-person" and open_span is None:
            open_span = {"start": start, "end": len(text), "type": "NAME"}
            spans.append(open_span)
        elif tag == "I-person":
            open_span["end"] = len(text)
        else:
            open_span = None
    rows.append((text, spans))
    tokens.clear()


for line in raw.splitlines():
    if not line.strip():
        flush()
        continue
    word, tag = line.split("\t")[:2]
    tokens.append((word, tag.strip()))
flush()
write(sys.argv[-1], rows)
print(f"{len(rows)} texts, {sum(len(s) for _, s in rows)} names", file=sys.stderr)
