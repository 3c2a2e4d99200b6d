# cati survey load / list / pause / resume: versions, roles, audit.
. "$(dirname "$0")/lib.sh"
setup_db
expect_rc 0 cati survey load "$DATA/serve.cati" && expect_in "loaded survey serve version 1" "$OUT"
expect_eq "1|1|en dz||admin" "$(sql "SELECT version, script_version, languages, fields, loaded_by FROM survey_versions")" "version row"
expect_eq "ServE citizen feedback on public services" "$(sql "SELECT title FROM surveys")" "title"
# the same text again stores nothing
expect_rc 0 cati survey load "$DATA/serve.cati" && expect_in "unchanged" "$OUT"
expect_eq "1" "$(sql "SELECT count(*) FROM survey_versions")" "versions after a reload"
# a changed text is version 2; extra fields are recorded
sed -e 's/^parameters .*/&\nfields gewog phone_type/' "$DATA/serve.cati" > serve2.cati
expect_rc 0 cati survey load serve2.cati && expect_in "version 2" "$OUT"
expect_eq "gewog phone_type" "$(sql "SELECT fields FROM survey_versions WHERE version = 2")" "fields"
expect_eq "2" "$(sql "SELECT count(*) FROM audit WHERE action = 'survey load'")" "audit rows"
# a broken script changes nothing
printf 'survey serve\nquestion a single\n  text en "x"\n' > bad.cati
expect_rc 2 cati survey load bad.cati && expect_in "bad.cati:2:10: question 'a' has no choices" "$ERR"
expect_eq "2" "$(sql "SELECT count(*) FROM survey_versions")" "versions after a broken load"
# roles
expect_rc 0 cati interviewer add pema
expect_rc 0 cati interviewer add sonam --role supervisor
CATI_USER=pema expect_rc 1 cati survey load serve2.cati && expect_in "permission denied" "$ERR"
CATI_USER=pema expect_rc 0 cati survey list && expect_in "serve" "$OUT"
expect_in "active" "$OUT"
CATI_USER=pema expect_rc 1 cati survey pause serve
CATI_USER=sonam expect_rc 0 cati survey pause serve && expect_in "paused serve" "$OUT"
expect_eq "1" "$(sql "SELECT paused FROM surveys WHERE name = 'serve'")" "paused"
expect_rc 0 cati survey list && expect_in "paused" "$OUT"
expect_rc 0 cati survey resume serve
expect_eq "0" "$(sql "SELECT paused FROM surveys WHERE name = 'serve'")" "resumed"
expect_rc 2 cati survey pause nosuch && expect_in "unknown survey 'nosuch'" "$ERR"
expect_rc 2 cati survey frobnicate
finish
