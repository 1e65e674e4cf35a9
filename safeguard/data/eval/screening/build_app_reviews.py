"""app_reviews.csv: Google Play app reviews, label 0.

Source: William-HTP/Google-Play-App-Reviews-Datasets @bc3b725,
dataset_balanced_4000.xlsx, column `review` (all four classes: bug report,
feature request, rating, user experience). The other two workbooks are
not used: dataset_balanced_8000.xlsx is a superset (7,506 unique) and
dataset_unbalanced_4000.xlsx gives 3,817; the balanced 4,000 is the one
closest to MEASURED.md's 3,842. Needs openpyxl.
"""
import io

import openpyxl

from common import resolve, git_bytes, write_set

REPO = "William-HTP/Google-Play-App-Reviews-Datasets"
COMMIT = "bc3b725"
PATH = "dataset_balanced_4000.xlsx"


def main():
    commit = resolve(REPO, COMMIT)
    wb = openpyxl.load_workbook(io.BytesIO(git_bytes(REPO, commit, PATH)), read_only=True)
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = list(next(it))
    col = header.index("review")
    rows = [(r[col], 0) for r in it if r[col] is not None]
    print(f"{REPO} @ {commit}")
    write_set("app_reviews.csv", rows)


if __name__ == "__main__":
    main()
