"""Sentence frames for the evaluation sets, written once before the masker was tuned and not
changed after: each puts one value from a public source into words a young person might write.
They are deliberately unlike the tuning set's frames (safeguard/data/masking-tune-*.csv)."""
import csv, json, random

FRAMES = {
    "NAME": [
        "{} is my key worker and she is kind",
        "i talk to {} every week on the phone",
        "me and {} went to the park after school",
        "my best friend {} helps me when im sad",
        "Ask {} about it, they know what happened",
        "{} said I could stay up later at weekends",
        "the person who helped me most was {}",
        "I miss {} so much since I moved placement",
        "we see {} at contact on saturdays",
        "i wish {} would listen to me more",
        "When I was little {} looked after me",
        "the new carer is called {} and i like her",
    ],
    "PHONE": [
        "call me on {} if anything changes",
        "my mums number is {}",
        "{} is my aunties phone, she lives abroad",
        "you can text {} after 6",
        "i only have my dads old number {} and it doesnt work",
        "ring {} and ask for me",
        "Phone: {}",
        "the helpline my friend gave me was {} but i never rang it",
    ],
    "DATE": [
        "my review is on {} and i want to go",
        "i came to this country on {}",
        "born {}",
        "the meeting was {} and nobody told me",
        "I moved to my foster home {}",
        "{} was the worst day of my life",
        "Date of last visit: {}",
        "next contact is {} i think",
    ],
    "ADDRESS": [
        "i used to live at {} with my nan",
        "send the letter to {} please",
        "our flat was {} before we moved",
        "my dad lives at {} now",
        "Address: {}",
        "we stayed at {} for a year",
    ],
    "EMAIL": ["email me at {} please", "my email is {}", "{} is my school email"],
    "URL": ["i found it on {}", "look at {} it has good info", "the form is at {}"],
}


def row(rng, kind, value, lower=False):
    return framed(rng, FRAMES[kind], value.lower() if lower else value, kind)


def framed(rng, frames, value, kind):
    """`value` in one of `frames`, chosen by `rng`, with its labelled span."""
    frame = rng.choice(frames)
    start = frame.index("{}")
    text = frame.replace("{}", value, 1)
    return text, [{"start": start, "end": start + len(value), "type": kind}]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "spans"])
        for i, (text, spans) in enumerate(rows):
            w.writerow([f"e{i + 1}", text, json.dumps(spans, separators=(",", ":"))])
