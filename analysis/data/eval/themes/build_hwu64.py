"""hwu64.csv: HWU64 (Liu et al. 2019) requests to a home assistant, label scenario_intent.

Source: xliuhw/NLU-Evaluation-Data @f6071b4 (CC BY 4.0 since 56b3d80; CC BY-SA 3.0 before).
The repository's full annotated CSV (AnnotatedData/NLU-Data-Home-Domain-Annotated-All.csv,
25,716 lines) is over the mirror's 4 MiB limit and absent, so the set is made from the
10-fold cross-validation data at the same commit: KFold_1 trainset/*.csv then
testset/csv/*.csv (semicolon-separated; together all 11,036 annotated utterances, 64 intents).

Text: `answer_from_user` (the user's words as typed, not the normalised annotation).
Label: `scenario` + "_" + `intent` (64 labels).

Sample: exactly the draw of safeguard/data/learned/sources/build_training_csvs.py (the
screening layer's n_hwu64.csv, SHA-256 3e54c31f... in MODEL.md): distinct texts ignoring
case, first kept (10,991; 19 texts the source gives two intents keep the first), then per
intent round(n * 10,000 / 10,991) drawn with random.Random(1), intents in sorted order ->
10,018 rows. So these are the same 10,018 texts as that training file, here with their intents.
"""
import csv
import io
import random

from common import distinct_untrimmed, git_bytes, git_ls, resolve, stratified, write_set

REPO = "xliuhw/NLU-Evaluation-Data"
COMMIT = "f6071b4"
BASE = "CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/CrossValidation/KFold_1/"


def main():
    commit = resolve(REPO, COMMIT)
    paths = git_ls(REPO, commit)
    files = [p for p in paths if p.startswith(BASE + "trainset/") and p.endswith(".csv")]
    files += [p for p in paths if p.startswith(BASE + "testset/csv/") and p.endswith(".csv")]
    pairs = []
    for p in files:
        text = git_bytes(REPO, commit, p).decode("utf-8")
        for r in csv.DictReader(io.StringIO(text), delimiter=";"):
            pairs.append((r["answer_from_user"], f"{r['scenario']}_{r['intent']}"))
    sample = stratified(distinct_untrimmed(pairs), 10_000, random.Random(1))
    print(f"{REPO} @ {commit}: {len(pairs)} utterances read from {len(files)} files")
    write_set("hwu64.csv", sample, keep_first_label=True)


if __name__ == "__main__":
    main()
