"""cssrs.csv: Reddit C-SSRS (Gaur et al. 2019), one row per user.

Source: yw041202/DSAA2012_Project @1c7a104, 500_Reddit_users_posts_labels.csv
(columns User, Post, Label). `Post` holds a Python list literal of the user's
posts; they are joined with a space into one text per user.

28 of the 500 `Post` cells stop at 32,759 characters (a spreadsheet cell
limit upstream), so the list literal is cut off mid-string; the parser below
reads the list string by string and keeps the cut-off last post as it is.

Labels: Ideation, Behavior, Attempt -> 1; Supportive -> 0; Indicator dropped
(an indicator of risk without clinician-confirmed ideation: neither clearly
a disclosure nor clearly not one).
"""
import ast
import csv
import io

from common import resolve, git_text, write_set

REPO = "yw041202/DSAA2012_Project"
COMMIT = "1c7a104"
PATH = "500_Reddit_users_posts_labels.csv"
POSITIVE = {"Ideation", "Behavior", "Attempt"}
NEGATIVE = {"Supportive"}
DROPPED = {"Indicator"}


def parse_posts(cell: str) -> list[str]:
    """Strings of a Python list literal of strings, tolerating truncation."""
    cell = cell.strip()
    try:
        value = ast.literal_eval(cell)
        return [value] if isinstance(value, str) else [str(v) for v in value]
    except (SyntaxError, ValueError):
        return scan_list(cell)


def scan_list(cell: str) -> list[str]:
    """Read a (possibly cut-off) list literal of strings one string at a time."""
    if not cell.startswith("["):
        return [cell]
    posts, i, n = [], 1, len(cell)
    while i < n:
        while i < n and cell[i] in " ,\t\n]":
            i += 1
        if i >= n:
            break
        quote = cell[i]
        if quote not in "'\"":
            raise ValueError(f"unexpected character at {i}")
        j = i + 1
        while j < n and cell[j] != quote:
            j += 2 if cell[j] == "\\" else 1
        literal = cell[i:j + 1] if j < n else cell[i:].rstrip("\\") + quote
        try:
            posts.append(ast.literal_eval(literal))
        except (SyntaxError, ValueError):
            posts.append(literal[1:-1])
        i = j + 1
    return posts


def main():
    commit = resolve(REPO, COMMIT)
    reader = csv.DictReader(io.StringIO(git_text(REPO, commit, PATH)))
    pos, neg = [], []
    for row in reader:
        label = row["Label"].strip()
        posts = parse_posts(row["Post"])
        text = " ".join(str(p) for p in posts)
        if label in POSITIVE:
            pos.append((text, 1))
        elif label in NEGATIVE:
            neg.append((text, 0))
        elif label not in DROPPED:
            raise SystemExit(f"unexpected label {label!r}")
    print(f"{REPO} @ {commit}")
    write_set("cssrs.csv", pos + neg)


if __name__ == "__main__":
    main()
