"""learned_hands_dv.csv: LegalBench `learned_hands_domestic_violence`.

Source: HazyResearch/legalbench. At the pinned commit 1d7e2c3 the task has
data.tsv (188 rows, 94 Yes / 94 No) and train.tsv (8 rows, all Yes, every
one also in data.tsv). The task's later train split (train.tsv from
14583e8 on, unchanged at ce48244, the newest commit here) has 6 rows,
3 Yes (all in data.tsv) and 3 No that are nowhere else; it is added so
that all splits of the task are covered. With it the set is 93 / 97, as in
MEASURED.md; without it (INCLUDE_LATER_TRAIN = False) it is 93 / 94.

Columns text, label; Yes -> 1, No -> 0.
"""
import csv
import io

from common import resolve, git_text, write_set

REPO = "HazyResearch/legalbench"
TASK = "tasks/learned_hands_domestic_violence"
PINNED = "1d7e2c3"
LATER = "ce48244"  # newest commit in the mirror; the file is the same blob since 14583e8
INCLUDE_LATER_TRAIN = True
MAP = {"Yes": 1, "No": 0}


def read_tsv(commit, path):
    text = git_text(REPO, commit, path)
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    out = []
    for r in rows:
        lab = (r.get("label") or r.get("answer") or "").strip()
        out.append((r["text"], MAP[lab]))
    return out


def main():
    pinned = resolve(REPO, PINNED)
    rows = read_tsv(pinned, f"{TASK}/data.tsv") + read_tsv(pinned, f"{TASK}/train.tsv")
    print(f"{REPO} @ {pinned}")
    if INCLUDE_LATER_TRAIN:
        later = resolve(REPO, LATER)
        rows += read_tsv(later, f"{TASK}/train.tsv")
        print(f"  plus {TASK}/train.tsv @ {later}")
    rows.sort(key=lambda r: -r[1])  # disclosures first
    write_set("learned_hands_dv.csv", rows)


if __name__ == "__main__":
    main()
