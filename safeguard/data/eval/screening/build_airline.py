"""airline.csv: Twitter US Airline Sentiment (Figure Eight), every tweet, label 0.

Source: AyushDhatwalia/Twitter-Airline-Sentiment @97f2cfe, Tweets.csv, column
`text` (all sentiments). Tweets are kept as written (@handles, links,
HTML entities untouched) apart from the common folding and dedupe.
"""
import csv
import io

from common import resolve, git_text, write_set

REPO = "AyushDhatwalia/Twitter-Airline-Sentiment"
COMMIT = "97f2cfe"


def main():
    commit = resolve(REPO, COMMIT)
    reader = csv.DictReader(io.StringIO(git_text(REPO, commit, "Tweets.csv"), newline=""))
    rows = [(r["text"], 0) for r in reader]
    print(f"{REPO} @ {commit}")
    write_set("airline.csv", rows)


if __name__ == "__main__":
    main()
