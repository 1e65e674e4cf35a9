"""clinc150.csv: CLINC150 (Larson et al. 2019) requests to an assistant, label intent.

Source: clinc/oos-eval @828f809 (CC BY 3.0), data/data_full.json. Only the in-scope
`train` split (150 intents x 100); the out-of-scope rows (`oos_*`) are not used.

Sample: exactly the draw of safeguard/data/learned/sources/build_training_csvs.py (the
screening layer's n_clinc150.csv, SHA-256 4497301c... in MODEL.md): distinct texts ignoring
case, first kept, then per intent round(n * 12,000 / N) drawn with random.Random(1), intents in
sorted order -> 80 per intent, 12,000 rows. The same 12,000 texts as that training file, here
with their intents. (A draw from train+val+test together would be another, equally valid
sample; it is not the one PERFORMANCE.md's figures were measured on as far as can be told.)
"""
import json
import random

from common import distinct_untrimmed, git_bytes, resolve, stratified, write_set

REPO = "clinc/oos-eval"
COMMIT = "828f809"


def main():
    commit = resolve(REPO, COMMIT)
    data = json.loads(git_bytes(REPO, commit, "data/data_full.json"))
    pairs = [(text, intent) for text, intent in data["train"]]
    sample = stratified(distinct_untrimmed(pairs), 12_000, random.Random(1))
    print(f"{REPO} @ {commit}: {len(pairs)} in-scope training rows")
    write_set("clinc150.csv", sample, keep_first_label=True)


if __name__ == "__main__":
    main()
