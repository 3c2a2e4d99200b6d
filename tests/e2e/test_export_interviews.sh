# cati export: names and values that survive every package (issue 13).
#  - a text answered literally "-8" is a text; a DK on the same question is
#    told by NAME_status, in the CSV, the .sav/.dta and the SQLite file;
#  - the interviews file names who ended the interview and everyone who
#    worked on it, gives active and wall seconds, and tells a partial (1.2)
#    from a break-off (2.12);
#  - the SQLite file: typed columns, NULL for DK/RF/not asked with a status
#    column per question (avg() is right), primary keys and indexes.
# Interviews are stored as the engine stores them (answers, answer log);
# they are closed by real calls (`cati case outcome`).
. "$(dirname "$0")/lib.sh"

setup_db
cati interviewer add pema >/dev/null
cati interviewer add sonam >/dev/null
cati interviewer add boss --role supervisor >/dev/null
cat > iv.cati <<'EOF'
survey iv "Interviews" version 1
languages en

question overall scale 1 5
  text en "Overall, 1 to 5?"

question t text 100
  text en "Anything else?"

question extra single
  text en "One more?"
  choice 1 "Yes"
  choice 2 "No"
EOF
printf 'ref,name,phone\nR1,A,17000001\nR2,B,17000002\nR3,C,17000003\nR4,D,17000004\nR5,E,17000005\nR6,F,17000006\n' > s.csv
expect_rc 0 cati survey load iv.cati
expect_rc 0 cati sample import --survey iv s.csv
id() { sql "SELECT id FROM cases WHERE ref = '$1'"; }
day1=$(date -u -d '2026-03-02 09:00' +%s)
day2=$((day1 + 86400))
p=$(sql "SELECT id FROM interviewers WHERE login = 'pema'")
s=$(sql "SELECT id FROM interviewers WHERE login = 'sonam'")
# R1: the text "-8" (a text); R2: DK on both; R3: RF on overall; R6: 3 —
# at their end. R4: pema answered overall on day 1, sonam resumed it the
# next day (her first answer after 50,000 s on screen) and it stays open at
# 'extra'. R5: open at t.
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, language, current_question,
       started_at, updated_at)
     SELECT 'iv-' || ref, id, 1, CASE ref WHEN 'R4' THEN $s ELSE $p END, 'en',
            CASE ref WHEN 'R4' THEN 'extra' WHEN 'R5' THEN 't' ELSE '' END, $day1, $day1 FROM cases;
     INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at, updated_at)
     SELECT 'a-' || i.uuid || '-' || q.question, i.id, q.question, q.status, q.value, 1, q.seq, $day1, $day1
     FROM interviews i JOIN (
       SELECT 'iv-R1' AS iv, 'overall' AS question, 'value' AS status, '4' AS value, 1 AS seq
       UNION ALL SELECT 'iv-R1', 't', 'value', '-8', 2 UNION ALL SELECT 'iv-R1', 'extra', 'value', '1', 3
       UNION ALL SELECT 'iv-R2', 'overall', 'dk', '', 1 UNION ALL SELECT 'iv-R2', 't', 'dk', '', 2
       UNION ALL SELECT 'iv-R2', 'extra', 'value', '2', 3
       UNION ALL SELECT 'iv-R3', 'overall', 'rf', '', 1 UNION ALL SELECT 'iv-R3', 't', 'value', 'fine', 2
       UNION ALL SELECT 'iv-R3', 'extra', 'value', '1', 3
       UNION ALL SELECT 'iv-R4', 'overall', 'value', '2', 1 UNION ALL SELECT 'iv-R4', 't', 'value', 'slow', 2
       UNION ALL SELECT 'iv-R5', 'overall', 'value', '5', 1
       UNION ALL SELECT 'iv-R6', 'overall', 'value', '3', 1 UNION ALL SELECT 'iv-R6', 't', 'value', 'ok', 2
       UNION ALL SELECT 'iv-R6', 'extra', 'value', '2', 3) q ON q.iv = i.uuid;
     INSERT INTO answer_log(uuid, interview_id, question, event, new_value, interviewer_id, seconds, at)
     SELECT 'l-' || a.uuid, a.interview_id, a.question, 'answer', a.value,
            CASE WHEN i.uuid = 'iv-R4' AND a.question = 't' THEN $s ELSE $p END,
            CASE WHEN i.uuid = 'iv-R4' AND a.question = 't' THEN 50000 ELSE 20 + a.seq END,
            CASE WHEN i.uuid = 'iv-R4' AND a.question = 't' THEN $day2 ELSE $day1 + 60 * a.seq END
     FROM answers a JOIN interviews i ON i.id = a.interview_id;"

# the calls that end them: pema's, and the supervisor's break-off of R5
export CATI_NOW="2026-03-03 10:00"
for i in 1 2 3 4 5 6; do
    CATI_USER=pema expect_rc 0 cati case next || break
    ref=$(sql "SELECT ref FROM cases WHERE id = $OUT")
    case $ref in
        R4) CATI_USER=pema expect_rc 0 cati case outcome "$OUT" partial ;;
        R5) CATI_USER=boss expect_rc 0 cati case outcome "$OUT" breakoff ;;
        *) CATI_USER=pema expect_rc 0 cati case outcome "$OUT" complete ;;
    esac
done
expect_eq "breakoff breakoff" "$(sql "SELECT group_concat(outcome, ' ') FROM interviews WHERE uuid IN ('iv-R4', 'iv-R5')")" \
    "the database says breakoff for both"

expect_rc 0 cati export --survey iv --out out --partials --format csv,sav,dta,sqlite
imp() { sqlite3 -batch -noheader cmp.db "$@"; }
imp ".import --csv out/iv_interviews.csv iv" ".import --csv out/iv_codebook.csv cb" || fail "import"
readstat out/iv.sav sav.csv >/dev/null 2>&1 || fail "readstat iv.sav"
readstat out/iv.dta dta.csv >/dev/null 2>&1 || fail "readstat iv.dta"
imp ".import --csv sav.csv sv" ".import --csv dta.csv dt" || fail "import sav/dta"
sq() { sqlite3 -batch -noheader out/iv.sqlite "$@"; }

# --- a text "-8" is a text; DK on the same question is told by t_status ----
expect_eq "-8|answered" "$(imp "SELECT t, t_status FROM iv WHERE ref = 'R1'")" "CSV: the text -8"
expect_eq "|dk" "$(imp "SELECT t, t_status FROM iv WHERE ref = 'R2'")" "CSV: DK on the text"
expect_eq "-8|-9" "$(imp "SELECT (SELECT overall FROM iv WHERE ref = 'R2'), (SELECT overall FROM iv WHERE ref = 'R3')")" \
    "CSV: numeric DK/RF stay -8/-9"
expect_eq "t_status=dk|t_status=rf" "$(imp "SELECT dk, rf FROM cb WHERE variable = 't'")" "codebook: how DK/RF show on t"
expect_eq "status|answered,dk,rf|dk|rf" "$(imp "SELECT type, \"values\", dk, rf FROM cb WHERE variable = 't_status'")" \
    "codebook: t_status"
for w in sv dt; do
    expect_eq "-8|1" "$(imp "SELECT t, CAST(t_status AS INTEGER) FROM $w WHERE ref = 'R1'")" "$w: the text -8, status 1 (answered)"
    expect_eq "|2" "$(imp "SELECT t, CAST(t_status AS INTEGER) FROM $w WHERE ref = 'R2'")" "$w: DK on the text, status 2 (dk)"
done
expect_eq "-8|answered" "$(sq "SELECT t, t_status FROM interviews WHERE ref = 'R1'")" "sqlite: the text -8"
expect_eq "1|dk" "$(sq "SELECT t IS NULL, t_status FROM interviews WHERE ref = 'R2'")" "sqlite: DK on the text"

# --- who worked on it, who ended it, partial vs break-off, seconds --------------
row() { imp "SELECT outcome, aapor, ended_by, interviewers, active_seconds, wall_seconds FROM iv WHERE ref = '$1'"; }
expect_eq "partial|1.2|pema|pema sonam|621|86340" "$(row R4)" "R4: partial, resumed by sonam the next day"
expect_eq "breakoff|2.12|boss|pema|21|0" "$(row R5)" "R5: break-off recorded by a supervisor"
expect_eq "complete|1.1|pema|pema|66|120" "$(row R1)" "R1: complete"
expect_eq "$(sql "SELECT completed_at - started_at FROM interviews WHERE uuid = 'iv-R4'")" "$(imp "SELECT duration FROM iv WHERE ref = 'R4'")" \
    "duration: start to end, as before"
expect_eq "partial|breakoff" "$(sq "SELECT (SELECT outcome FROM interviews WHERE ref = 'R4'), (SELECT outcome FROM interviews WHERE ref = 'R5')")" \
    "sqlite: partial vs breakoff"
expect_eq "pema sonam|621" "$(sq "SELECT interviewers, active_seconds FROM interviews WHERE ref = 'R4'")" "sqlite: R4"
for c in interviewers ended_by aapor active_seconds wall_seconds; do
    expect_eq 1 "$(imp "SELECT count(*) FROM cb WHERE variable = '$c' AND text <> ''")" "codebook row for $c"
done
expect_in "1.2=partial interview" "$(imp "SELECT labels FROM cb WHERE variable = 'aapor'")" "codebook: AAPOR codes"

# --- SQLite: avg() over answers only; keys, indexes, types -----------------------
csv_mean=$(imp "SELECT round(avg(CAST(overall AS REAL)), 6) FROM iv WHERE overall NOT IN ('', '-8', '-9')")
expect_eq "$csv_mean" "$(sq "SELECT round(avg(overall), 6) FROM interviews")" "avg(overall) = the CSV's mean without DK/RF"
expect_eq "3.5" "$csv_mean" "the mean of 4, 2, 5 and 3"
expect_eq "1|dk|1|rf" "$(sq "SELECT (SELECT overall IS NULL FROM interviews WHERE ref = 'R2'),
    (SELECT overall_status FROM interviews WHERE ref = 'R2'), (SELECT overall IS NULL FROM interviews WHERE ref = 'R3'),
    (SELECT overall_status FROM interviews WHERE ref = 'R3')")" "sqlite: DK/RF are NULL, told by the status"
expect_eq "1|" "$(sq "SELECT extra IS NULL, extra_status FROM interviews WHERE ref = 'R5'")" "sqlite: not asked is NULL"
expect_eq "integer" "$(sq "SELECT DISTINCT typeof(overall) FROM interviews WHERE overall IS NOT NULL")" "sqlite: answers are integers"
expect_eq "INTEGER|INTEGER|TEXT|TEXT" "$(sq "SELECT group_concat(type, '|') FROM (SELECT type FROM pragma_table_info('interviews')
    WHERE name IN ('overall', 'active_seconds', 't', 't_status') ORDER BY name = 't_status', name = 't', name)")" "sqlite: column types"
expect_eq "interview_uuid" "$(sq "SELECT name FROM pragma_table_info('interviews') WHERE pk = 1")" "sqlite: interviews key"
expect_eq "call_uuid" "$(sq "SELECT name FROM pragma_table_info('calls') WHERE pk = 1")" "sqlite: calls key"
expect_eq "variable" "$(sq "SELECT name FROM pragma_table_info('codebook') WHERE pk = 1")" "sqlite: codebook key"
expect_eq "calls_case|interviews_case|interviews_ref" "$(sq "SELECT group_concat(name, '|') FROM (SELECT name FROM sqlite_master
    WHERE type = 'index' AND name NOT LIKE 'sqlite_%' AND name <> 'codebook_question' ORDER BY name)")" "sqlite: indexes"
expect_eq "overall_status=dk|overall_status=rf" "$(sq "SELECT dk, rf FROM codebook WHERE variable = 'overall'")" \
    "sqlite codebook: DK/RF by the status"
finish
