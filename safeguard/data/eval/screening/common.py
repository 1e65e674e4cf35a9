"""Shared helpers for the screening evaluation set builders.

Every builder reads files straight out of a bare git mirror (as brought in by
the `fetch` tool, /work/.mirror/OWNER+NAME/repo) at a pinned commit, and
writes a CSV with the header `text,label` (1 = the text discloses harm or risk
to the writer, 0 = it does not).

Rules applied to every output:
  * white space inside each text folded to single spaces, ends trimmed;
  * empty texts dropped;
  * exact duplicates dropped, ignoring case (the first occurrence is kept;
    builders pass disclosures first, so a text seen with both labels would
    keep label 1 -- the count of such conflicts is printed);
  * rows shuffled with seed 1 (as the training CSVs in MODEL.md).
"""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
from collections import Counter
from typing import Iterable

MIRROR_ROOT = os.environ.get("HEARD_MIRROR_ROOT", "/work/.mirror")
OUT_DIR = os.environ.get("HEARD_SCREEN_OUT", "/work/evaldata/screen")

_WS = re.compile(r"\s+")


def git_dir(repo: str) -> str:
    """Bare git directory of a fetched repository, given 'owner/name'."""
    return os.path.join(MIRROR_ROOT, repo.replace("/", "+"), "repo")


def resolve(repo: str, commit: str) -> str:
    """Full hash of `commit` in the mirror; fails loudly if it is absent."""
    out = subprocess.run(
        ["git", "--git-dir", git_dir(repo), "rev-parse", "--verify", "-q", commit + "^{commit}"],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"{repo}: commit {commit} is not in {git_dir(repo)}")
    return out.stdout.strip()


def git_bytes(repo: str, commit: str, path: str) -> bytes:
    """Contents of `path` at `commit` in the mirror of `repo`."""
    return subprocess.run(
        ["git", "--git-dir", git_dir(repo), "show", f"{commit}:{path}"],
        check=True, capture_output=True,
    ).stdout


def git_text(repo: str, commit: str, path: str, encoding: str = "utf-8") -> str:
    return git_bytes(repo, commit, path).decode(encoding)


def fold(text) -> str:
    """White space folded to single spaces; None/NaN-like values become ''."""
    if text is None:
        return ""
    return _WS.sub(" ", str(text)).strip()


def write_set(name: str, rows: Iterable[tuple[str, int]], seed: int = 1) -> Counter:
    """Fold, drop empties and case-insensitive duplicates, shuffle, write.

    `rows` are (text, label) pairs; pass disclosures before other texts.
    Returns the label counts written.
    """
    seen: dict[str, int] = {}
    kept: list[tuple[str, int]] = []
    empty = dups = conflicts = 0
    for text, label in rows:
        t = fold(text)
        if not t:
            empty += 1
            continue
        key = t.lower()
        if key in seen:
            dups += 1
            if seen[key] != label:
                conflicts += 1
            continue
        seen[key] = label
        kept.append((t, int(label)))
    random.Random(seed).shuffle(kept)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows(kept)
    counts = Counter(label for _, label in kept)
    print(
        f"{path}: {counts.get(1, 0)} disclosures / {counts.get(0, 0)} other "
        f"(dropped {empty} empty, {dups} duplicates, {conflicts} with conflicting labels)"
    )
    return counts
