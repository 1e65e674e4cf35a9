"""Turns voices.txt (hand-written answers with [KIND:text] marks) into masking-tune-voices.csv.

    python3 safeguard/data/tune/gen_tune_voices.py > safeguard/data/masking-tune-voices.csv
"""
import csv, json, os, re, sys

KINDS = {"N": "NAME", "P": "PHONE", "D": "DATE", "A": "ADDRESS", "E": "EMAIL", "U": "URL"}
here = os.path.dirname(os.path.abspath(__file__))
w = csv.writer(sys.stdout)
w.writerow(["id", "text", "spans"])
n = 0
for line in open(os.path.join(here, "voices.txt"), encoding="utf-8"):
    line = line.rstrip("\n").rstrip()
    if not line or line.startswith("#"):
        continue
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\[([A-Z]):([^\]]+)\]", line):
        text += line[pos:m.start()]
        spans.append({"start": len(text), "end": len(text) + len(m.group(2)), "type": KINDS[m.group(1)]})
        text += m.group(2)
        pos = m.end()
    text += line[pos:]
    n += 1
    w.writerow([f"tv{n}", text, json.dumps(spans, separators=(",", ":"))])
