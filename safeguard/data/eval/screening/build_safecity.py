"""safecity.csv: SafeCity sexual harassment reports (Karlekar & Bansal 2018).

Source: swkarlekar/safecity @7072b0b, multilabel_classification/{train,dev,test}.csv.zip
(columns Description, Commenting, Ogling/Facial Expressions/Staring,
Touching /Groping). The binary_classification folders hold the same
descriptions and add nothing.

Kept: every description with at least one of the three categories marked
(label 1). Reports with none of the three marked are left out (they may be
other forms of harassment, or not harassment at all). A description that
occurs both with and without a category is kept.
"""
import csv
import io
import zipfile

from common import resolve, git_bytes, write_set

REPO = "swkarlekar/safecity"
COMMIT = "7072b0b"
SPLITS = ["train", "dev", "test"]


def main():
    commit = resolve(REPO, COMMIT)
    rows = []
    for split in SPLITS:
        z = zipfile.ZipFile(io.BytesIO(git_bytes(REPO, commit, f"multilabel_classification/{split}.csv.zip")))
        with z.open(f"{split}.csv") as fh:
            reader = csv.reader(io.TextIOWrapper(fh, encoding="utf-8", newline=""))
            header = next(reader)
            assert header[0] == "Description" and len(header) == 4, header
            for r in reader:
                if any(v.strip() == "1" for v in r[1:4]):
                    rows.append((r[0], 1))
    print(f"{REPO} @ {commit}")
    write_set("safecity.csv", rows)


if __name__ == "__main__":
    main()
