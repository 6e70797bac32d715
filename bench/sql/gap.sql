-- The gap analysis in DuckDB SQL: the same groups and figures as
--   ska-analyze gap FILE --by school_year,grade_level,area,school,subject --min-group 1 --format json
-- on a long-format export (Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat).
-- {{CSV}} is replaced by the quoted path of the file. Definitions: docs/metoder.md, "Definitioner".
WITH src AS (
  SELECT
    "Personnummer" AS pupil,
    "Läsår"        AS school_year,
    "Ämne"         AS subject,
    "Typ" = 'Terminsbetyg' AS is_grade,                          -- else 'Provbetyg'
    -- Grade steps F=0 … A=5; streck or blank -1; anything else NULL (the tool rejects such a row).
    CASE upper(trim(coalesce("Resultat", '')))
      WHEN 'F' THEN 0 WHEN 'E' THEN 1 WHEN 'D' THEN 2 WHEN 'C' THEN 3 WHEN 'B' THEN 4 WHEN 'A' THEN 5
      WHEN '-' THEN -1 WHEN '' THEN -1
    END AS step,
    "Skola"        AS school,
    "Skolområde"   AS area,
    TRY_CAST("Årskurs" AS INTEGER) AS grade_level
  FROM read_csv({{CSV}}, delim = ';', header = true, all_varchar = true)
  WHERE "Typ" IN ('Terminsbetyg', 'Provbetyg')
),
-- One slot per pupil × school year × subject: its teacher grade and its test grade side by side.
-- Repeated rows with the same result count once; rows with different results (a conflict) leave
-- that value out of the pairing (min <> max), as the tool does.
slots AS (
  SELECT
    pupil, school_year, subject,
    min(step)              FILTER (is_grade)     AS g_min,
    max(step)              FILTER (is_grade)     AS g_max,
    any_value(school)      FILTER (is_grade)     AS g_school,
    any_value(area)        FILTER (is_grade)     AS g_area,
    any_value(grade_level) FILTER (is_grade)     AS g_level,
    min(step)              FILTER (NOT is_grade) AS t_min,
    max(step)              FILTER (NOT is_grade) AS t_max,
    any_value(school)      FILTER (NOT is_grade) AS t_school,
    any_value(area)        FILTER (NOT is_grade) AS t_area,
    any_value(grade_level) FILTER (NOT is_grade) AS t_level
  FROM src
  WHERE step IS NOT NULL
  GROUP BY pupil, school_year, subject
),
-- g, t: the A–F step, NULL when there is none (no row, streck, conflict).
steps AS (
  SELECT
    school_year, subject,
    coalesce(g_level, t_level) AS grade_level,                   -- the grade row's level, else the test's
    t_level AS test_level,
    -- School and area come from one row together: the grade row's (if it names a school), else the test row's.
    coalesce(CASE WHEN g_school IS NOT NULL OR t_min IS NULL THEN g_area ELSE t_area END, '(saknas)') AS area,
    coalesce(CASE WHEN g_school IS NOT NULL OR t_min IS NULL THEN g_school ELSE t_school END, '(saknas)') AS school,
    CASE WHEN g_min = g_max AND g_min >= 0 THEN g_min END AS g,
    CASE WHEN t_min = t_max AND t_min >= 0 THEN t_min END AS t
  FROM slots
),
-- School year × grade level × subject combinations with at least one A–F test grade.
tested AS (
  SELECT DISTINCT school_year, test_level AS grade_level, subject FROM steps WHERE t IS NOT NULL
),
-- Paired, test only, and grade only (the last only where the combination has tests).
records AS (
  SELECT s.* FROM steps s WHERE s.t IS NOT NULL
  UNION ALL
  SELECT s.* FROM steps s SEMI JOIN tested x
    ON s.school_year = x.school_year AND s.grade_level = x.grade_level AND s.subject = x.subject
  WHERE s.t IS NULL AND s.g IS NOT NULL
),
groups AS (
  SELECT
    school_year, grade_level, area, school, subject,
    count(*) FILTER (WHERE g IS NOT NULL AND t IS NOT NULL) AS n,
    count(*) FILTER (WHERE g IS NOT NULL AND t IS NULL)     AS n_grade_only,
    count(*) FILTER (WHERE g IS NULL AND t IS NOT NULL)     AS n_test_only,
    count(*) FILTER (WHERE g > t)                           AS higher,
    count(*) FILTER (WHERE g = t)                           AS same,
    count(*) FILTER (WHERE g < t)                           AS lower,
    -- Grade points F=0, E=10, D=12.5, C=15, B=17.5, A=20.
    avg((CASE WHEN g = 0 THEN 0 ELSE 7.5 + 2.5 * g END) - (CASE WHEN t = 0 THEN 0 ELSE 7.5 + 2.5 * t END))
      FILTER (WHERE g IS NOT NULL AND t IS NOT NULL)        AS mean_diff
  FROM records
  GROUP BY school_year, grade_level, subject, ROLLUP (area, school)
)
SELECT
  school_year,
  grade_level,
  area,
  school,
  subject,
  CAST(n AS INTEGER)            AS n,
  CAST(n_grade_only AS INTEGER) AS n_grade_only,
  CAST(n_test_only AS INTEGER)  AS n_test_only,
  CASE WHEN n > 0 THEN higher / n END AS share_higher,
  CASE WHEN n > 0 THEN same / n END   AS share_same,
  CASE WHEN n > 0 THEN lower / n END  AS share_lower,
  CAST(mean_diff AS DOUBLE)     AS mean_diff
FROM groups
-- A group with no paired pupil has no row in ska-analyze's output (nothing to show or protect).
WHERE n > 0
ORDER BY school_year, grade_level, subject, area NULLS FIRST, school NULLS FIRST
