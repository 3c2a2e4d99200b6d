# cati monitor: the live dashboard under tmux (a complete made elsewhere shows
# within one refresh; release, priority and appointment change the database;
# flags marked; resize; vt100), --once text, reports, and who may open it.
. "$(dirname "$0")/lib.sh"

cat >> cati.ini <<INI
[monitor]
refresh_seconds = 1
idle_minutes = 10
INI
export CATI_NOW="2026-11-02 10:00"                    # a Monday, inside calling hours
setup_db
cati interviewer add pema --lang en,dz >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
expect_rc 0 cati survey load "$DATA/serve.cati"
head -21 "$DATA/demo-sample.csv" > sample.csv       # 20 respondents
expect_rc 0 cati sample import --survey serve sample.csv

# interviewers may not open it
CATI_USER=pema expect_rc 1 cati monitor --once &&
    expect_in "permission denied" "$ERR"
CATI_USER=pema expect_rc 1 cati report scores
expect_rc 2 cati monitor --once --panel nope && expect_in "unknown panel 'nope'" "$ERR"
expect_rc 2 cati monitor --survey nope --once && expect_in "unknown survey 'nope'" "$ERR"

# --once prints the panels as text
export CATI_USER=sonam
expect_rc 0 cati monitor --once --panel queue
expect_in "not yet called                             20" "$OUT" "queue panel"
expect_in "final                                       0" "$OUT" "queue panel"

# a case claimed by pema: the interviewers panel shows it
id=$(CATI_USER=pema cati case next) || fail "case next"
expect_rc 0 cati monitor --once --panel interviewers
expect_in "pema         on case" "$OUT" "interviewers panel"

# the live screen
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
twait mon "not yet called                             19"
# a complete recorded by another process shows within a refresh (a
# supervisor's, with its note: no interview of cati's was taken)
CATI_USER=sonam expect_rc 0 cati case outcome "$id" complete --note "phoned in"
twait mon "final                                       1" 5
twait mon "  1.1    complete interview                 1" 5

# release a case held by pema from the interviewers panel
id2=$(CATI_USER=pema cati case next) || fail "case next"
tkeys mon 2
twait mon "INTERVIEWERS"
twait mon "pema         on case"
tkeys mon x                                          # pema, logged in, is selected first
twait mon "release which case? ref or case ID: $id2"
tkeys mon Enter
twait mon "case $id2 released"
expect_eq "" "$(sql "SELECT claimed_by FROM cases WHERE id = $id2")" "released case holder"
expect_eq 1 "$(sql "SELECT count(*) FROM audit WHERE login = 'sonam' AND action = 'case release' AND detail = '$id2'")" "release audited"

# change the priority of a case by ID
tkeys mon p
twait mon "case ID:"
tkeys mon C-u "$id2" Enter
twait mon "priority of case $id2"
tkeys mon C-u 7 Enter
twait mon "case $id2: priority 7"
expect_eq 7 "$(sql "SELECT priority FROM cases WHERE id = $id2")" "priority"
expect_eq 1 "$(sql "SELECT count(*) FROM audit WHERE action = 'case priority' AND detail = '$id2 7'")" "priority audited"

# book an appointment, then open the case
tkeys mon b
twait mon "case ID:"
tkeys mon C-u "$id2" Enter
twait mon "appointment for case $id2"
tkeys mon "+90" Enter
twait mon "case $id2: appointment"
expect_eq 1 "$(sql "SELECT appointment_at IS NOT NULL FROM cases WHERE id = $id2")" "appointment booked"
tkeys mon o
twait mon "case ID:"
tkeys mon C-u "$id2" Enter
twait mon "CASE $id2"
twait mon "priority 7"
twait mon "appointment "
tkeys mon Escape
twait mon "INTERVIEWERS"

# pause and resume the survey from the queue panel
tkeys mon 1
twait mon "QUEUE"
tkeys mon z
twait mon "pause or resume survey: serve"
tkeys mon Enter
twait mon "survey serve paused"
twait mon "PAUSED"
expect_eq 1 "$(sql "SELECT paused FROM surveys WHERE name = 'serve'")" "paused"
tkeys mon z Enter
twait mon "survey serve resumed"
expect_eq 0 "$(sql "SELECT paused FROM surveys WHERE name = 'serve'")" "resumed"

# a flag raised in an interview: shown with the respondent's words, marked seen
sql "INSERT INTO flags(uuid, case_id, kind, question, text, raised_at, updated_at)
     VALUES ('e2e-f1', $id, 'complaint', 'complaint', 'The counter was closed twice', strftime('%s'), 0);"
tkeys mon 5
twait mon "FLAGS   1 new of 1"
twait mon '"The counter was closed twice"'
tkeys mon S
twait mon "marked seen"
twait mon "seen by sonam"
expect_eq "seen|sonam" "$(sql "SELECT status, handled_by FROM flags")" "flag seen"

# resize: too small, then back
tresize mon 60 20
twait mon "terminal too small"
tresize mon 120 40
twait mon "FLAGS   0 new of 1"
# all panels together
tkeys mon a
twait mon "QUEUE"
twait mon "RATES"
tkeys mon q
twait mon "[exited 0]"

# a completed interview's answers (the console is not needed for this):
# the scores panel shows them with block bars, vt100 with ASCII ones
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, started_at, updated_at)
       VALUES ('e2e-i1', $id, 1, (SELECT id FROM interviewers WHERE login = 'pema'), 0, 0);
     INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)
       SELECT 'e2e-a' || q, i.id, q, v, 1, 0, 0 FROM interviews i,
       (SELECT 'access' AS q, '5' AS v UNION ALL SELECT 'time_rate', '2' UNION ALL SELECT 'int_rate', '4')
       WHERE i.uuid = 'e2e-i1';
     UPDATE interviews SET outcome = 'complete' WHERE uuid = 'e2e-i1';"
tstart sc "$CATI_BIN" monitor
twait sc "cati monitor" || finish
tkeys sc 4
twait sc "accessibility  access          5.00  ████████████ 100% 4-5   n 1"
twait sc "timeliness     time_rate       2.00                 0% 4-5   n 1"
tkeys sc q
TERM_OVERRIDE=vt100 tstart vt "$CATI_BIN" monitor
twait vt "cati monitor" || finish
tkeys vt 4
twait vt "accessibility  access          5.00  ############ 100% 4-5   n 1"
twait vt "integrity      int_rate        4.00  ############ 100% 4-5   n 1"
twait vt "timeliness     time_rate       2.00  ............   0% 4-5   n 1"
expect_not_in "█" "$(tscreen vt)" "vt100 screen"
tkeys vt q
twait vt "[exited 0]"

# reports as files
expect_rc 0 cati report flags --format csv
expect_in "id,raised_at,survey,ref,service,agency,kind,question,text,interviewer,status,handled_by,handled_at" "$OUT"
expect_in "complaint,complaint,The counter was closed twice,,seen,sonam,2026-11-02 10:00" "$OUT"
expect_rc 0 cati report flags
expect_in '"The counter was closed twice"' "$OUT"
expect_rc 0 cati report scores --format csv
expect_in "survey,scope,service,agency,parameter,question,kind,n,mean,top,share" "$OUT"
expect_in "serve,all,,,accessibility,access,scale,1,5.0000,1,1.0000" "$OUT"
expect_rc 0 cati report scores
expect_in "serve      (all services)                  accessibility  access         scale        1     5.00  100.0%" "$OUT"
finish
