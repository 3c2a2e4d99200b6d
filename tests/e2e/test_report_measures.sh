# `measures PARAMETER` on every question type (issue 11, Also): a text
# question that measures a parameter is counted and its answers listed,
# with no mean; a parameter answered only with don't know shows n 0.
. "$(dirname "$0")/lib.sh"

setup_db
cat > fb.cati <<'CATI'
survey fb "Feedback" version 1
languages en
parameters accessibility timeliness feedback attitude
question access scale 1 5
  measures accessibility
  text en "How easy was it?"
question days number 0 365
  measures timeliness
  text en "How many days?"
question staff multi
  measures attitude
  text en "Who helped?"
  choice 1 "Clerk"
  choice 2 "Officer"
question comment text 200
  measures feedback
  text en "Anything else?"
CATI
expect_rc 0 cati survey load fb.cati || finish
sql "INSERT INTO cases(uuid, survey_id, ref, name, service, agency, created_at, updated_at)
  VALUES ('c1', 1, 'R1', 'n', 'cid', 'DCRC', 0, 0), ('c2', 1, 'R2', 'n', 'cid', 'DCRC', 0, 0);
INSERT INTO interviews(id, uuid, case_id, survey_version_id, started_at, updated_at)
  VALUES (1, 'i1', 1, 1, 100, 100), (2, 'i2', 2, 1, 200, 200);
INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at, updated_at) VALUES
  ('a1', 1, 'access', 'value', '4', 1, 1, 0, 0), ('a2', 1, 'days', 'dk', '', 1, 2, 0, 0),
  ('a3', 1, 'staff', 'value', '1,2', 1, 3, 0, 0), ('a4', 1, 'comment', 'value', 'Queue too long', 1, 4, 0, 0),
  ('a5', 2, 'access', 'value', '5', 1, 1, 0, 0), ('a6', 2, 'days', 'rf', '', 1, 2, 0, 0),
  ('a7', 2, 'staff', 'dk', '', 1, 3, 0, 0), ('a8', 2, 'comment', 'value', 'Kind clerk', 1, 4, 0, 0);
UPDATE interviews SET outcome = 'complete', completed_at = 300 + id;" || fail "fixture"

expect_rc 0 cati report scores --survey fb || finish
row() { printf '%s\n' "$OUT" | awk -v q="$1" '$1 == "fb" && $2 == "(all" && $5 == q'; }
# text: counted, no mean, its answers listed under the survey's total
expect_in "text" "$(row comment)" "comment row"
[ "$(row comment | awk '{print $7}')" = 2 ] || fail "n of comment: $(row comment)"
[ "$(row comment | awk '{print $8}')" = - ] || fail "comment has a mean: $(row comment)"
expect_in '    "Queue too long"' "$OUT"
expect_in '    "Kind clerk"' "$OUT"
# multi: counted, no mean
[ "$(row staff | awk '{print $6, $7, $8}')" = "multi 1 -" ] || fail "staff row: $(row staff)"
# only don't know / refused so far: n 0, not missing
[ "$(row days | awk '{print $6, $7, $8}')" = "number 0 -" ] || fail "days row: $(row days)"
# scale as before
[ "$(row access | awk '{print $7, $8}')" = "2 4.50" ] || fail "access row: $(row access)"

expect_rc 0 cati report scores --survey fb --format csv
expect_in "fb,all,,,feedback,comment,text,2,,," "$OUT"
expect_in "fb,all,,,timeliness,days,number,0,,," "$OUT"
finish
