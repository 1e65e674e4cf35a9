"""dreaddit.csv: Dreaddit (Turcan & McKeown 2019), train and test together.

Source: ShirCohen1/Stress_Analysis_in_Social_Media @9ef1d8d,
dreaddit-train.csv and dreaddit-test.csv (columns subreddit, text, ...).

Disclosures (1): r/domesticviolence and r/survivorsofabuse.
Other (0): r/relationships, r/assistance, r/homeless, r/almosthomeless and
r/food_pantry. r/ptsd, r/anxiety and r/stress are left out entirely: their
posts often describe trauma or distress of the writer, so they are neither
clean negatives nor the abuse disclosures this set measures. This subset is
the only one of the eight other subreddits that gives 1,409 unique texts.
The Dreaddit stress label itself is not used.
"""
import csv
import io

from common import resolve, git_text, write_set

REPO = "ShirCohen1/Stress_Analysis_in_Social_Media"
COMMIT = "9ef1d8d"
FILES = ["dreaddit-train.csv", "dreaddit-test.csv"]
DISCLOSURE = {"domesticviolence", "survivorsofabuse"}
OTHER = {"relationships", "assistance", "homeless", "almosthomeless", "food_pantry"}
LEFT_OUT = {"ptsd", "anxiety", "stress"}


def main():
    commit = resolve(REPO, COMMIT)
    pos, neg = [], []
    for f in FILES:
        for row in csv.DictReader(io.StringIO(git_text(REPO, commit, f))):
            sub = row["subreddit"].strip()
            if sub in DISCLOSURE:
                pos.append((row["text"], 1))
            elif sub in OTHER:
                neg.append((row["text"], 0))
            elif sub not in LEFT_OUT:
                raise SystemExit(f"unexpected subreddit {sub!r}")
    print(f"{REPO} @ {commit}")
    write_set("dreaddit.csv", pos + neg)


if __name__ == "__main__":
    main()
