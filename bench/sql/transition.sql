-- The transition analysis in DuckDB SQL: år 5 omdöme (Typ Bedömning, school year Y) against the
-- år 6 national test (Typ Provbetyg, school year Y+1), linked by pupil and subject; the same
-- groups and figures as
--   ska-analyze transition FILE --min-group 1 --format json
-- on a long-format export. {{CSV}} is replaced by the quoted path of the file.
WITH src AS (
  SELECT
    "Personnummer" AS pupil,
    "Ämne"         AS subject,
    "Typ"          AS kind,
    trim(coalesce("Resultat", '')) AS result,
    "Skola"        AS school,
    "Skolområde"   AS area,
    CAST(left("Läsår", 4) AS INTEGER) AS start_year              -- '2024/25' → 2024
  FROM read_csv({{CSV}}, delim = ';', header = true, all_varchar = true)
  WHERE ("Typ" = 'Bedömning' AND "Årskurs" = '5') OR ("Typ" = 'Provbetyg' AND "Årskurs" = '6')
),
-- From: one per pupil × subject × school year. Omdöme 1/2 pass, 0 fail, -1 missing (NULL); any
-- other value is not on the scale (the tool rejects the row). Rows of one key with different
-- results (a conflict) are left out altogether, as the tool does.
from_side AS (
  SELECT
    pupil, subject, start_year,
    any_value(school) AS school,
    any_value(area)   AS area,
    CASE min(result) WHEN '2' THEN 1 WHEN '1' THEN 1 WHEN '0' THEN 0 END AS pass
  FROM src
  WHERE kind = 'Bedömning' AND result IN ('2', '1', '0', '-1')
  GROUP BY pupil, subject, start_year
  HAVING min(result) = max(result)
),
-- To: test grade A–E pass, F fail, streck or blank missing (NULL); conflicts left out.
to_side AS (
  SELECT
    pupil, subject, start_year,
    any_value(school) AS school,
    any_value(area)   AS area,
    CASE WHEN min(step) >= 0 THEN CAST(min(step) >= 1 AS INTEGER) END AS pass
  FROM (
    SELECT *, CASE upper(result)
      WHEN 'F' THEN 0 WHEN 'E' THEN 1 WHEN 'D' THEN 2 WHEN 'C' THEN 3 WHEN 'B' THEN 4 WHEN 'A' THEN 5
      WHEN '-' THEN -1 WHEN '' THEN -1
    END AS step
    FROM src WHERE kind = 'Provbetyg'
  )
  WHERE step IS NOT NULL
  GROUP BY pupil, subject, start_year
  HAVING min(step) = max(step)
),
-- Only transitions the export covers on both sides: a from row in Y counts if the file has år 6
-- tests in Y+1, a to row in Y+1 if the file has år 5 omdömen in Y. (Without this, every år 5
-- pupil of the last school year would be "from only", every år 6 pupil of the first "to only".)
linked AS (
  SELECT
    CASE WHEN f.pupil IS NOT NULL THEN f.area ELSE t.area END     AS area,    -- the år 5 row's, else the år 6 row's
    CASE WHEN f.pupil IS NOT NULL THEN f.school ELSE t.school END AS school,
    coalesce(f.subject, t.subject) AS subject,
    f.pupil IS NOT NULL AS has_from,
    t.pupil IS NOT NULL AS has_to,
    f.pass AS p_from,
    t.pass AS p_to
  FROM (SELECT * FROM from_side WHERE start_year + 1 IN (SELECT DISTINCT start_year FROM to_side)) f
  FULL OUTER JOIN (SELECT * FROM to_side WHERE start_year - 1 IN (SELECT DISTINCT start_year FROM from_side)) t
    ON f.pupil = t.pupil AND f.subject = t.subject AND t.start_year = f.start_year + 1
),
groups AS (
  SELECT
    area, school, subject,
    count(*) FILTER (WHERE p_from IS NOT NULL AND p_to IS NOT NULL) AS n,
    count(*) FILTER (WHERE has_from AND NOT has_to)                 AS n_from_only,
    count(*) FILTER (WHERE has_to AND NOT has_from)                 AS n_to_only,
    count(*) FILTER (WHERE p_from = 1 AND p_to = 1)                 AS pass_pass,
    count(*) FILTER (WHERE p_from = 1 AND p_to = 0)                 AS pass_fail,
    count(*) FILTER (WHERE p_from = 0 AND p_to = 1)                 AS fail_pass,
    count(*) FILTER (WHERE p_from = 0 AND p_to = 0)                 AS fail_fail
  FROM (SELECT * REPLACE (coalesce(area, '(saknas)') AS area, coalesce(school, '(saknas)') AS school) FROM linked)
  GROUP BY subject, ROLLUP (area, school)
)
SELECT
  area,
  school,
  subject,
  CAST(n AS INTEGER)           AS n,
  CAST(n_from_only AS INTEGER) AS n_from_only,
  CAST(n_to_only AS INTEGER)   AS n_to_only,
  CAST(pass_pass AS INTEGER)   AS pass_pass,
  CAST(pass_fail AS INTEGER)   AS pass_fail,
  CAST(fail_pass AS INTEGER)   AS fail_pass,
  CAST(fail_fail AS INTEGER)   AS fail_fail,
  CASE WHEN n > 0 THEN (pass_pass + pass_fail) / n END AS share_pass_from,
  CASE WHEN n > 0 THEN (pass_pass + fail_pass) / n END AS share_pass_to
FROM groups
-- A group with no linked pupil has no row in ska-analyze's output (nothing to show or protect).
WHERE n > 0
ORDER BY subject, area NULLS FIRST, school NULLS FIRST
