"""airline.csv: Twitter US Airline Sentiment complaints, label negativereason.

Source: AyushDhatwalia/Twitter-Airline-Sentiment @97f2cfe, Tweets.csv (the same mirror and
commit as safeguard/data/eval/screening/build_airline.py). Repo GPL-3.0; the data (Figure
Eight / Kaggle) CC BY-NC-SA 4.0: for evaluation, not to be shipped.

Kept: tweets with airline_sentiment "negative" (9,178) whose negativereason is not
"Can't Tell" (7,988; 9 reasons). Every @handle is removed from the text (the handle names the
airline, which is not what the label is about; removing only the leading handles gives the
same count). Then the common rules: 79 repeated texts collapsed, 18 texts given two reasons
dropped -> 7,890. The reason confidence column is not used.
"""
import csv
import io
import re

from common import git_bytes, resolve, write_set

REPO = "AyushDhatwalia/Twitter-Airline-Sentiment"
COMMIT = "97f2cfe"
HANDLE = re.compile(r"@\w+")


def main():
    commit = resolve(REPO, COMMIT)
    text = git_bytes(REPO, commit, "Tweets.csv").decode("utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text, newline=""))
            if r["airline_sentiment"] == "negative" and r["negativereason"] != "Can't Tell"]
    print(f"{REPO} @ {commit}: {len(rows)} negative tweets with a reason")
    write_set("airline.csv", [(HANDLE.sub(" ", r["text"]), r["negativereason"]) for r in rows])


if __name__ == "__main__":
    main()
