#!/usr/bin/python3
"""Write the streams of river's drift-detector doctests, so the TypeScript detectors can be checked
against the detection points river documents for them (no river needed: the streams come from
Python's own `random`, seeded as in the doctests).

    /usr/bin/python3 scripts/reference/generate_concept_streams.py

Writes test/runtime/fixtures/concept-streams.json:
- "steps": random.Random(12345); choices([0, 1], k=1000) + choices(range(4, 8), k=1000)
  (the ADWIN and PageHinkley doctests);
- "errors": random.Random(42); choices([0, 1], k=1000) + choices([0, 1], k=1000, weights=[0.3, 0.7])
  (the DDM and EDDM doctests).
"""

import datetime
import json
import os
import random
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "runtime", "fixtures", "concept-streams.json")

rng = random.Random(12345)
steps = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
rng = random.Random(42)
errors = rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])

# A labelled, time-ordered prediction log for `mlops drift --labels`: one prediction a minute, 10%
# wrong for the first 1,500, then 35% wrong (the concept changed at 2026-11-02T01:00:00Z, row 1,501).
DATA = os.path.join(os.path.dirname(__file__), "..", "..", "test", "runtime", "data", "concept")
os.makedirs(DATA, exist_ok=True)
rng = random.Random(20261203)
START = datetime.datetime(2026, 11, 1, 0, 0, 0)
classes = ["bird", "cat", "dog"]
with open(os.path.join(DATA, "labelled.csv"), "w") as f:
    f.write("__ts,request_id,__prediction,label\n")
    for i in range(3000):
        ts = (START + datetime.timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        label = rng.choice(classes)
        wrong = rng.random() < (0.10 if i < 1500 else 0.35)
        prediction = rng.choice([c for c in classes if c != label]) if wrong else label
        f.write(f"{ts},q{i},{prediction},{label}\n")

with open(OUT, "w") as f:
    json.dump({"python": sys.version.split()[0], "steps": steps, "errors": errors}, f)
    f.write("\n")
print("wrote", OUT)
