"""Shared helpers for the themes benchmark set builders.

Every builder reads files straight out of a bare git mirror (as brought in by
the search tool's `fetch`, /work/.mirror/OWNER+NAME/repo; `HEARD_MIRROR_ROOT`
for another folder) at a pinned commit, and writes a CSV with the header
`text,label` (label = the source's own category) to /work/evaldata/themes/
(`HEARD_THEMES_OUT` for another folder).

Rules applied to every output by `write_set`:
  * white space inside each text folded to single spaces, ends trimmed;
  * empty texts dropped;
  * duplicates ignoring case collapsed to one row; a text that the source
    gives more than one label is dropped entirely (it cannot be scored), unless
    the builder asks to keep the first label (HWU64 and CLINC150, whose samples
    follow safeguard/data/learned/sources/build_training_csvs.py);
  * rows shuffled with seed 1; written with Python's csv module (minimal
    quoting, CRLF line ends). Deterministic: same bytes on every run.
"""
from __future__ import annotations

import collections
import csv
import importlib.util
import os
import pathlib
import random
import re
import subprocess
from typing import Iterable

OUT_DIR = os.environ.get("HEARD_THEMES_OUT", "/work/evaldata/themes")
SEED = 1

_WS = re.compile(r"\s+")


# The mirror helpers are the screening builders' own (the same mirrors, the same rules).
_screening = importlib.util.spec_from_file_location(
    "screening_common",
    pathlib.Path(__file__).resolve().parents[4] / "safeguard/data/eval/screening/common.py",
)
_common = importlib.util.module_from_spec(_screening)
_screening.loader.exec_module(_common)
git_dir, resolve, git_bytes = _common.git_dir, _common.resolve, _common.git_bytes


def git_ls(repo: str, commit: str) -> list[str]:
    """Every file path at `commit`, in git's order."""
    return subprocess.run(
        ["git", "--git-dir", git_dir(repo), "ls-tree", "-r", "--name-only", commit],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()


def fold(text) -> str:
    """White space folded to single spaces and trimmed; None becomes ''."""
    if text is None:
        return ""
    return _WS.sub(" ", str(text)).strip()


def write_set(name: str, rows: Iterable[tuple[str, str]], keep_first_label: bool = False) -> None:
    """Fold, drop empties, duplicates and (by default) texts with two labels; shuffle; write."""
    first: dict[str, tuple[str, str]] = {}
    labels: dict[str, set] = collections.defaultdict(set)
    empty = dups = 0
    for text, label in rows:
        t = fold(text)
        if not t:
            empty += 1
            continue
        key = t.lower()
        labels[key].add(str(label))
        if key in first:
            dups += 1
            continue
        first[key] = (t, str(label))
    clashing = {k for k, v in labels.items() if len(v) > 1}
    if keep_first_label:
        kept = list(first.values())
    else:
        kept = [v for k, v in first.items() if k not in clashing]
    random.Random(SEED).shuffle(kept)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        w.writerows(kept)
    n_labels = len({label for _, label in kept})
    print(
        f"{path}: {len(kept)} rows, {n_labels} labels (dropped {empty} empty, {dups} duplicates; "
        f"{len(clashing)} texts with more than one label "
        f"{'kept with the first' if keep_first_label else 'dropped'})"
    )


def stratified(pairs: list[tuple[str, str]], target: int, rng: random.Random) -> list[tuple[str, str]]:
    """Per label, round(n * target / N) rows drawn at random; labels in sorted order.

    The same draw as `stratified` in safeguard/data/learned/sources/build_training_csvs.py,
    keeping the label beside each text.
    """
    groups = collections.defaultdict(list)
    for text, label in pairs:
        groups[label].append(text)
    total = sum(len(v) for v in groups.values())
    out = []
    for g in sorted(groups):
        k = round(len(groups[g]) * target / total)
        out.extend((t, g) for t in rng.sample(groups[g], k))
    return out


def distinct_untrimmed(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """First of each text ignoring case, white space folded but ends kept (as the training builder)."""
    seen, out = set(), []
    for text, label in pairs:
        t = _WS.sub(" ", text)
        if t.strip() and t.lower() not in seen:
            seen.add(t.lower())
            out.append((t, label))
    return out
