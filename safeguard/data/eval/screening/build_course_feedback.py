"""course_feedback.csv: student course feedback, label 0.

Source: clawilso15/Text.Replace @fe62924 (R package, GPL >= 2),
inst/extdata/surveyData_2.csv (columns Input_key, questions_key,
raw_evaluation, comments; questions 1-6 = teaching, course content,
examination, lab work, library facilities, extracurricular). It is the same
data as the package's data/surveyData.rda ("Sample Class Survey Data").
Not the City of Austin community survey comments (a training source).
"""
import csv
import io

from common import resolve, git_text, write_set

REPO = "clawilso15/Text.Replace"
COMMIT = "fe62924"
PATH = "inst/extdata/surveyData_2.csv"


def main():
    commit = resolve(REPO, COMMIT)
    reader = csv.DictReader(io.StringIO(git_text(REPO, commit, PATH, encoding="utf-8-sig"), newline=""))
    rows = [(r["comments"], 0) for r in reader]
    print(f"{REPO} @ {commit}")
    write_set("course_feedback.csv", rows)


if __name__ == "__main__":
    main()
