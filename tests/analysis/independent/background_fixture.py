"""Synthetic exports with background columns (issue 15): made up, ids are not personnummer.

Regenerate (byte-identical): python3 tests/analysis/independent/background_fixture.py

Exempelstad's år 9 in 2024/25: four schools, three subjects, a grades export (betyg.csv) and a
national test export (prov.csv). Background columns as exports hold them:
  betyg.csv  Nyanländ (Ja/Nej), Åtgärdsprogram (X or blank), Föräldrarnas utbildningsnivå
             (förgymnasial/gymnasial/eftergymnasial, sometimes blank), Elevens stödnivå (a column
             no usual factor names: Ingen/Extra anpassningar/Särskilt stöd)
  prov.csv   Nyanländ (1/0)
Teachers in every school give newly arrived pupils about half a step above their test grade (the
test is in Swedish), so Fjällskolan, where many pupils are newly arrived, looks generous before
the adjustment for background and not after it. Two pupils' Nyanländ differ between the files.
"""
import random
from pathlib import Path

random.seed(20261129)
OUT = Path(__file__).resolve().parents[3] / 'fixtures' / 'background'
LETTERS = 'FEDCBA'
SCHOOLS = [  # name, area, pupils, share newly arrived, teachers' own lean (steps)
    ('Fjällskolan', 'Norra', 64, 0.35, 0.0),
    ('Granskolan', 'Norra', 52, 0.08, 0.0),
    ('Havsskolan', 'Södra', 48, 0.06, 0.35),
    ('Kärrskolan', 'Södra', 14, 0.10, 0.0),
]
SUBJECTS = [('Matematik', 'MA'), ('Engelska', 'EN'), ('Svenska', 'SV')]
EDUCATION = ['förgymnasial', 'gymnasial', 'eftergymnasial']
SUPPORT = ['Ingen', 'Extra anpassningar', 'Särskilt stöd']

grades = ['Elev-ID;Skola;Skolområde;Kön;Årskurs;Läsår;Ämne;Betyg;Nyanländ;Åtgärdsprogram;Föräldrarnas utbildningsnivå;Elevens stödnivå']
tests = ['Elev-ID;Skola;Årskurs;Läsår;Ämne;Provbetyg;Nyanländ']
number = 0
for school, area, pupils, arrived_share, lean in SCHOOLS:
    for _ in range(pupils):
        number += 1
        pid = f'EX{number:04d}'
        gender = random.choice(['Flicka', 'Pojke'])
        arrived = random.random() < arrived_share
        education = random.choices(EDUCATION, weights=[3, 4, 3] if arrived else [1, 4, 5])[0]
        if random.random() < 0.05:
            education = ''
        programme = random.random() < (0.2 if arrived else 0.1)
        support = 'Särskilt stöd' if programme else random.choices(SUPPORT[:2], weights=[4, 1])[0]
        ability = random.gauss(2.6 - (0.6 if arrived else 0.0), 1.2)
        # Two pupils whose test export says otherwise about Nyanländ.
        arrived_test = (not arrived) if number in (7, 101) else arrived
        for subject, code in SUBJECTS:
            test = min(5, max(0, round(ability + random.gauss(0, 0.7))))
            grade = min(5, max(0, round(test + random.gauss(0, 0.55) + lean + (0.55 if arrived else 0.0))))
            grades.append(';'.join([pid, school, area, gender, '9', '2024/25', subject, LETTERS[grade], 'Ja' if arrived else 'Nej', 'X' if programme else '', education, support]))
            tests.append(';'.join([pid, school, '9', '2024/25', code, LETTERS[test], '1' if arrived_test else '0']))

(OUT / 'betyg.csv').write_text('\n'.join(grades) + '\n', encoding='utf-8')
(OUT / 'prov.csv').write_text('\n'.join(tests) + '\n', encoding='utf-8')
