"""nyt.csv and uscongress.csv: the two labelled sets shipped in the RTextTools R package.

- nyt.csv: New York Times front-page headlines (Boydstun), label policy topic code.

  Source: cran/RTextTools @95f6a1b (RTextTools 1.4.3, GPL-3), data/NYTimes.csv.gz
  (3,104 rows; columns Article_ID, Date, Title, Subject, Topic.Code; cp1252 text).

  Text: `Title` (the headline as printed; `Subject` is the coder's own summary and is not used).
  Label: `Topic.Code`, kept as the number (27 codes: the Policy Agendas major topics plus the
  NYT codebook's extra ones, e.g. 29 sports, 99 other).
  28 repeated headlines collapsed; 1 headline coded with two topics dropped -> 3,075.

- uscongress.csv: US Congress bill descriptions (Congressional Bills Project), label major topic.

  Source: cran/RTextTools @95f6a1b (RTextTools 1.4.3, GPL-3), data/USCongress.csv.gz
  (4,449 rows; columns ID, cong, billnum, h_or_sen, major, text).

  Text: `text` (the bill's short description). Label: `major`, the Policy Agendas major topic
  code, kept as the number (20 codes).
  157 repeated descriptions collapsed (e.g. "To suspend temporarily the duty on ..." bills);
  2 descriptions coded with two topics dropped -> 4,290.
"""
import csv
import gzip
import io

from common import git_bytes, resolve, write_set

REPO = "cran/RTextTools"
COMMIT = "95f6a1b"  # version 1.4.3 (2020-04-26), the last on CRAN; data unchanged since 1.4.0

# (output, file in the package, text column, label column)
SETS = [
    ("nyt.csv", "data/NYTimes.csv.gz", "Title", "Topic.Code"),
    ("uscongress.csv", "data/USCongress.csv.gz", "text", "major"),
]


def read_rows(commit: str, path: str) -> list[dict]:
    """A semicolon-separated data/*.csv.gz (as R's data() reads it) as dicts.

    NYTimes.csv.gz is Latin-1 (cp1252) rather than UTF-8; USCongress.csv.gz is UTF-8.
    """
    raw = gzip.decompress(git_bytes(REPO, commit, path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def main():
    commit = resolve(REPO, COMMIT)
    for out, path, text, label in SETS:
        rows = read_rows(commit, path)
        print(f"{REPO} @ {commit}: {len(rows)} rows in {path}")
        write_set(out, [(r[text], r[label]) for r in rows])


if __name__ == "__main__":
    main()
