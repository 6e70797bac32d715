"""Independent computation (numpy, written apart from src/) of the gap figures with a background
column, on fixtures/background (betyg.csv + prov.csv), whose printed values
tests/analysis/background.test.ts pins.

  python3 tests/analysis/independent/background.py

A pupil's Nyanländ per school year: every row of the pupil and year that says something
(betyg.csv Ja/Nej, prov.csv 1/0) must agree; else '(okänd)'. Groups: school (or all) × Nyanländ
(or all). Per group: n pairs, shares higher/lower, mean_diff (grade points), std_gap against the
rest (the total with the same Nyanländ value minus the group), its 95 % interval, and the
background-adjusted std_gap: the standard taken within test grade × Nyanländ (and, in the second
part, × Föräldrarnas utbildningsnivå), the group's own pupils weighted as they are.
"""
import csv
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3] / 'fixtures' / 'background'
POINTS = {'F': 0.0, 'E': 10.0, 'D': 12.5, 'C': 15.0, 'B': 17.5, 'A': 20.0}
STEP = {letter: i for i, letter in enumerate('FEDCBA')}
Z95 = 1.959963984540054
TEST_CODES = {'MA': 'Matematik', 'EN': 'Engelska', 'SV': 'Svenska'}


def read(name):
    with open(ROOT / name, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f, delimiter=';'))


grades = read('betyg.csv')
tests = read('prov.csv')

# Background per pupil and school year.
said = defaultdict(set)
education = defaultdict(set)
for row in grades:
    said[row['Elev-ID'], row['Läsår']].add({'ja': 'yes', 'nej': 'no'}[row['Nyanländ'].strip().lower()])
    if row['Föräldrarnas utbildningsnivå'].strip():
        education[row['Elev-ID'], row['Läsår']].add(row['Föräldrarnas utbildningsnivå'].strip().lower())
for row in tests:
    said[row['Elev-ID'], row['Läsår']].add({'1': 'yes', '0': 'no'}[row['Nyanländ'].strip()])


def one(values):
    return '(saknas)' if not values else next(iter(values)) if len(values) == 1 else '(okänd)'


school_of = {}
test_of = {}
for row in tests:
    test_of[row['Elev-ID'], row['Läsår'], TEST_CODES[row['Ämne']]] = row['Provbetyg']
pairs = []  # (school, nyanländ, education, grade letter, test letter)
for row in grades:
    key = (row['Elev-ID'], row['Läsår'], row['Ämne'])
    if key not in test_of:
        continue
    pupil = (row['Elev-ID'], row['Läsår'])
    pairs.append((row['Skola'], one(said[pupil]), one(education[pupil]), row['Betyg'], test_of[key]))


def diff(scale, g, t):
    return POINTS[g] - POINTS[t] if scale == 'points' else STEP[g] - STEP[t]


def standardised(group, rest, strata, scale):
    """Observed − expected over strata (a function of a pair), expected from the rest per stratum."""
    n = 0
    obs = 0.0
    exp = 0.0
    var = 0.0
    cells = defaultdict(list)
    for p in rest:
        cells[strata(p)].append(diff(scale, p[3], p[4]))
    own = defaultdict(list)
    for p in group:
        own[strata(p)].append(diff(scale, p[3], p[4]))
    for s, d in own.items():
        r = np.array(cells.get(s, []))
        if len(r) == 0:
            continue
        m = len(r)
        mu = r.mean()
        s2 = ((r - mu) ** 2).mean()
        nt = len(d)
        n += nt
        obs += sum(d)
        exp += nt * mu
        var += nt * s2 * (1 + nt / m)
    if n == 0:
        return None
    gap = (obs - exp) / n
    se = np.sqrt(var) / n
    return n, exp / n, gap, gap - Z95 * se, gap + Z95 * se


def by_test(p):
    return p[4]


def show(x):
    return 'null' if x is None else repr(round(float(x), 10))


def report(title, keep, adjust):
    print(f'# {title}')
    schools = sorted({p[0] for p in pairs})
    values = sorted({p[1] for p in pairs})
    for school in [None] + schools:
        for value in [None] + values if keep else [None]:
            group = [p for p in pairs if (school is None or p[0] == school) and (value is None or p[1] == value)]
            if not group:
                continue
            d = np.array([diff('points', p[3], p[4]) for p in group])
            higher = np.mean([STEP[p[3]] > STEP[p[4]] for p in group])
            lower = np.mean([STEP[p[3]] < STEP[p[4]] for p in group])
            line = f'{school or "Totalt"}|{value or "alla"} n={len(group)} higher={show(higher)} lower={show(lower)} mean_diff={show(d.mean())}'
            if school is not None:
                total = [p for p in pairs if value is None or p[1] == value]
                rest = [p for p in total if p[0] != school]
                std = standardised(group, rest, by_test, 'points')
                adj = standardised(group, rest, lambda p: (p[4],) + tuple(p[i] for i in adjust), 'points')
                adj_steps = standardised(group, rest, lambda p: (p[4],) + tuple(p[i] for i in adjust), 'steps')
                line += f' std_gap={show(std[2])} ci=[{show(std[3])},{show(std[4])}]'
                line += f' adjusted: n={adj[0]} expected={show(adj[1])} gap={show(adj[2])} ci=[{show(adj[3])},{show(adj[4])}] steps={show(adj_steps[2])} ci=[{show(adj_steps[3])},{show(adj_steps[4])}]'
            print(line)


report('--by skola,nyanländ', True, (1,))
report('--by skola --adjust-for nyanländ,föräldrarnas utbildningsnivå', False, (1, 2))
