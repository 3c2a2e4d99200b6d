# cati export: a database built with cati commands, files read back with
# sqlite3's CSV import and compared with the database, since-last, PII,
# roles, a failed export leaves no partial file, the central database exports.
. "$(dirname "$0")/lib.sh"

setup_db
cati interviewer add pema >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
cat > fb.cati <<'EOF'
survey fb "Feedback" version 1
languages en
parameters accessibility integrity
fields gewog

question q single
  text en "Did you get it?"
  choice 1 "Yes"
  choice 2 "No, \"never\""

question m multi
  text en "Which offices, all that apply"
  choice 1 "Dzongkhag"
  choice 3 "Gewog"
  choice 7 "Online"

question s scale 1 5
  measures accessibility
  text en "How easy, 1 to 5?"
  nodk

question t text 200
  text en "Anything else?"

question d date
  text en "When did you apply?"
EOF
cat > sample.csv <<'EOF'
ref,name,phone,service,agency,district,gewog
R1,Dasho Karma Secret,17123451,cid_new,DCRC,Paro,Lango
R2,Ap Dorji Secret,17123452,census,DCRC,Thimphu,Kawang
R3,Aum Pem Secret,17123453,cid_new,DCRC,Paro,Tsento
R4,Sonam Secret,17123454,census,DCRC,Haa,Bji
EOF
export CATI_NOW="2026-03-02 10:00"
expect_rc 0 cati survey load fb.cati
expect_rc 0 cati sample import --survey fb sample.csv

# Calls through the queue, as a dialer integration would record them. The
# interviews below are written straight into the database, so their
# completes are recorded as a supervisor does for an interview taken
# outside cati: with a note saying why (an interviewer's 'complete' needs
# an interview of cati's that reached its end).
for i in 1 2 3 4; do
    CATI_USER=pema expect_rc 0 cati case next || break
    id=$OUT; ref=$(sql "SELECT ref FROM cases WHERE id = $id")
    who=sonam outcome=complete; [ "$ref" = R4 ] && who=pema outcome=breakoff
    CATI_USER=$who expect_rc 0 cati case outcome "$id" $outcome --note "told us her PIN"
done
expect_eq 4 "$(sql 'SELECT count(*) FROM calls')" "calls recorded"
# Interviews as the engine stores them: R1-R3 complete, R4 unfinished.
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, language, outcome,
       started_at, completed_at, updated_at)
     SELECT 'iv-' || ref, id, 1, 2, 'en', CASE WHEN ref = 'R4' THEN NULL ELSE 'complete' END,
            1772420000 + id, CASE WHEN ref = 'R4' THEN NULL ELSE 1772420600 + id END, 1 FROM cases;
     INSERT INTO answers(uuid, interview_id, question, status, value, on_route, seq, answered_at, updated_at)
     VALUES ('a1', 1, 'q', 'value', '1', 1, 1, 1, 1), ('a2', 1, 'm', 'value', '1,7', 1, 2, 1, 1),
            ('a3', 1, 's', 'value', '4', 1, 3, 1, 1),
            ('a4', 1, 't', 'value', 'Slow, \"very\" slow' || char(10) || 'ཀུ་ཟུ་ཟང་པོ', 1, 4, 1, 1),
            ('a5', 1, 'd', 'value', '2026-01-15', 1, 5, 1, 1),
            ('b1', 2, 'q', 'dk', '', 1, 1, 1, 1), ('b2', 2, 'm', 'rf', '', 1, 2, 1, 1),
            ('b3', 2, 's', 'rf', '', 1, 3, 1, 1), ('b4', 2, 't', 'value', 'old', 0, 4, 1, 1),
            ('c1', 3, 'q', 'value', '2', 1, 1, 1, 1), ('c2', 3, 'm', 'value', '3', 1, 2, 1, 1),
            ('d1', 4, 'q', 'value', '1', 1, 1, 1, 1);"

# --- CSV export, read back by sqlite3 ------------------------------------------
expect_rc 0 cati export --survey fb --out out1
expect_in "exported 3 interviews and 4 calls of survey fb" "$OUT"
for f in fb_interviews.csv fb_codebook.csv fb_calls.csv fb.sav fb.dta; do
    [ -s "out1/$f" ] || fail "out1/$f missing"
done
expect_eq "case_uuid,interview_uuid,ref,service,agency,district,interviewer,interviewers,ended_by,mode,language,outcome,aapor,version,started_at,completed_at,duration,active_seconds,wall_seconds,calls,gewog,q,m_1,m_3,m_7,s,t,t_status,d,d_status" \
    "$(head -1 out1/fb_interviews.csv | tr -d '\r')" "header"
sqlite3 -batch import.db ".import --csv out1/fb_interviews.csv iv" ".import --csv out1/fb_codebook.csv cb" \
    ".import --csv out1/fb_calls.csv calls" || fail "sqlite3 .import"
imp() { sqlite3 -batch import.db "ATTACH '$WORK/cati.db' AS db;" "$@"; }
expect_eq 3 "$(imp 'SELECT count(*) FROM iv')" "rows"
# every value cell equals the database's answer; DK/RF as -8/-9 (text and
# date: empty, their NAME_status says dk or rf); off-route empty
expect_eq 0 "$(imp "SELECT count(*) FROM iv JOIN db.interviews i ON i.uuid = iv.interview_uuid
    JOIN db.answers a ON a.interview_id = i.id AND a.on_route = 1
    WHERE a.question IN ('q', 's') AND
      (CASE a.question WHEN 'q' THEN iv.q ELSE iv.s END) IS NOT
      (CASE a.status WHEN 'dk' THEN '-8' WHEN 'rf' THEN '-9' ELSE a.value END)")" "cells equal the answers"
expect_eq 0 "$(imp "SELECT count(*) FROM iv JOIN db.interviews i ON i.uuid = iv.interview_uuid
    JOIN db.answers a ON a.interview_id = i.id AND a.on_route = 1
    WHERE a.question IN ('t', 'd') AND
      ((CASE a.question WHEN 't' THEN iv.t ELSE iv.d END) IS NOT
       (CASE a.status WHEN 'value' THEN a.value ELSE '' END) OR
       (CASE a.question WHEN 't' THEN iv.t_status ELSE iv.d_status END) IS NOT
       (CASE a.status WHEN 'value' THEN 'answered' ELSE a.status END))")" "text and date cells equal the answers"
expect_eq "1|0|1" "$(imp "SELECT m_1, m_3, m_7 FROM iv WHERE ref = 'R1'")" "multi as 0/1"
expect_eq "-9|-9|-9" "$(imp "SELECT m_1, m_3, m_7 FROM iv WHERE ref = 'R2'")" "multi refused"
expect_eq "||" "$(imp "SELECT t, d, s FROM iv WHERE ref = 'R3'")" "not asked"
expect_eq "" "$(imp "SELECT t FROM iv WHERE ref = 'R2'")" "off route"
expect_eq "Lango|Paro|pema|complete|600" \
    "$(imp "SELECT gewog, district, interviewer, outcome, duration FROM iv WHERE ref = 'R1'")" "identifying columns"
expect_eq "$(sql "SELECT uuid FROM cases WHERE ref = 'R1'")" "$(imp "SELECT case_uuid FROM iv WHERE ref = 'R1'")" "case uuid"
expect_eq 1 "$(imp "SELECT count(*) FROM iv WHERE t = 'Slow, \"very\" slow' || char(10) || 'ཀུ་ཟུ་ཟང་པོ'")" "text with quotes, newline, UTF-8"
expect_eq "single|1,2|1=Yes; 2=No, \"never\"|-8|-9" \
    "$(imp "SELECT type, \"values\", labels, dk, rf FROM cb WHERE variable = 'q'")" "codebook q"
expect_eq "|accessibility" "$(imp "SELECT dk, measures FROM cb WHERE variable = 's'")" "codebook s"
expect_eq 30 "$(imp 'SELECT count(*) FROM cb')" "codebook rows = columns"
expect_eq 4 "$(imp 'SELECT count(*) FROM calls')" "calls"
expect_eq "breakoff|2.12|1|pema|$(sql "SELECT ended_at - started_at FROM calls WHERE outcome = 'breakoff'")" \
    "$(imp "SELECT c.outcome, c.aapor, c.attempt, c.interviewer, c.duration FROM calls c
    JOIN db.cases k ON k.uuid = c.case_uuid WHERE k.ref = 'R4'")" "call paradata"
# no personal data without --with-pii
for f in out1/*; do
    grep -q "Secret\|+97517123\|PIN" "$f" && fail "personal data in $f"
done
[ -e out1/fb.sps ] || [ -e out1/fb.do ] && fail "SPSS/Stata syntax files are no longer written"

# --- partials, PII, sqlite ------------------------------------------------------------
expect_rc 0 cati export --survey fb --out out2 --partials --with-pii
expect_in "exported 4 interviews (1 partial)" "$OUT" && expect_in "WITH PERSONAL DATA" "$OUT"
expect_in "Dasho Karma Secret" "$(cat out2/fb_interviews.csv)"
expect_in "+97517123451" "$(cat out2/fb_calls.csv)"
expect_in "told us her PIN" "$(cat out2/fb_calls.csv)"
expect_eq "1" "$(sql "SELECT with_pii FROM exports ORDER BY id DESC LIMIT 1")" "with_pii recorded"
expect_in "export with pii" "$(sql "SELECT action || ' ' || login FROM audit")" "audit"
expect_rc 0 cati export --survey fb --out out3 --format sqlite
expect_eq "3|4|33" "$(sqlite3 out3/fb.sqlite 'SELECT (SELECT count(*) FROM interviews),
    (SELECT count(*) FROM calls), (SELECT count(*) FROM codebook)')" "sqlite tables"
expect_eq "ok" "$(sqlite3 out3/fb.sqlite 'PRAGMA integrity_check')" "sqlite integrity"
expect_eq "1" "$(ls out3 | wc -l)" "one file in out3"

# --- since-last: twice in a row exports nothing; a change comes back ---------------
expect_rc 0 cati export --survey fb --out n1 --since-last && expect_in "exported 3 interviews" "$OUT"
expect_rc 0 cati export --survey fb --out n2 --since-last && expect_in "exported 0 interviews and 0 calls" "$OUT"
expect_eq 1 "$(wc -l < n2/fb_interviews.csv)" "header only"
sql "UPDATE interviews SET outcome = 'complete', completed_at = 1772420700 WHERE uuid = 'iv-R4'"
expect_rc 0 cati export --survey fb --out n3 --since-last && expect_in "exported 1 interview and 0 calls" "$OUT"
expect_in "iv-R4" "$(cat n3/fb_interviews.csv)"

# --- refusals and failures ------------------------------------------------------------
CATI_USER=pema expect_rc 1 cati export --survey fb --out x && expect_in "permission denied" "$ERR"
[ -e x ] && fail "an interviewer's refused export made x"
CATI_USER=sonam expect_rc 0 cati export --survey fb --out x --with-pii
expect_rc 2 cati export --survey nope --out y && expect_in "unknown survey 'nope'" "$ERR"
expect_rc 2 cati export --survey fb --out y --format xls && expect_in "use csv, sav, dta or sqlite" "$ERR"
expect_rc 2 cati export --out y && expect_in "usage" "$ERR"
rows_before=$(sql "SELECT count(*) FROM exports")
mkdir ro
if [ "$(id -u)" != 0 ]; then
    chmod 500 ro
    expect_rc 1 cati export --survey fb --out ro --since-last && expect_in "cannot write" "$ERR"
    chmod 700 ro
fi
# a full disk (the file size limit) in the middle of writing: nothing left behind
"$REPO/scripts/gen-results" cati.db 3000 30 e || fail "gen-results"
sqlite3 cati.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
( trap '' XFSZ; ulimit -f 256; "$CATI_BIN" export --survey bench --out ro ) \
    >/dev/null 2>"$WORK/.ferr"
rc=$?; expect_eq 1 "$rc" "exit status when the disk is full"
expect_in "no file was left half-written" "$(cat "$WORK/.ferr")"
expect_eq "" "$(ls -A ro)" "nothing in ro after failures"
expect_eq "$rows_before" "$(sql "SELECT count(*) FROM exports")" "failed exports not recorded"

# --- the central database exports like any other ------------------------------------
expect_rc 0 cati export --survey fb --out s1
expect_rc 0 cati sync --to central.db
expect_rc 0 cati -d central.db export --survey fb --out c1
expect_eq "$(tail -n +2 s1/fb_interviews.csv | sort)" "$(tail -n +2 c1/fb_interviews.csv | sort)" "central export"
# --- the codebook gives the questionnaire's labels of sample codes ----------------
# (`labels FIELD CODE "label" [LANG "label"]`, every language) for each sample
# field the export has: standard ones (service) and declared ones (gewog)
cat > lab.cati <<'EOF'
survey lab "Labels" version 1
languages en dz
fields gewog
labels service cid_new "New CID card" dz "མི་ཁུངས་ངོ་སྤྲོད་ལག་ཁྱེར་གསརཔ།" census "Census transfer"
labels gewog Lango "Lango gewog"
labels name Secret "never exported without --with-pii"

question q single
  text en "Did you get it?"
  choice 1 "Yes"
  choice 2 "No"
EOF
expect_rc 0 cati survey load lab.cati
expect_rc 0 cati sample import --survey lab sample.csv
expect_rc 0 cati export --survey lab --out lab1
sqlite3 -batch lab.db ".import --csv lab1/lab_codebook.csv cb" || fail "sqlite3 .import codebook"
expect_eq "cid_new=New CID card (dz: མི་ཁུངས་ངོ་སྤྲོད་ལག་ཁྱེར་གསརཔ།); census=Census transfer" \
    "$(sqlite3 -batch lab.db "SELECT labels FROM cb WHERE variable = 'service'")" "codebook: service labels"
expect_eq "Lango=Lango gewog" "$(sqlite3 -batch lab.db "SELECT labels FROM cb WHERE variable = 'gewog'")" \
    "codebook: gewog labels"
expect_eq "" "$(sqlite3 -batch lab.db "SELECT labels FROM cb WHERE variable = 'agency'")" "codebook: agency, no labels"
expect_eq 0 "$(sqlite3 -batch lab.db "SELECT count(*) FROM cb WHERE labels LIKE '%never exported%'")" \
    "codebook: no labels of a field left out"
expect_rc 0 cati export --survey lab --out lab2 --format sqlite
expect_eq "Lango=Lango gewog" "$(sqlite3 lab2/lab.sqlite "SELECT labels FROM codebook WHERE variable = 'gewog'")" \
    "sqlite codebook: gewog labels"
expect_rc 0 cati export --survey lab --out lab3 --with-pii
expect_in "Secret=never exported without --with-pii" "$(grep '^name,' lab3/lab_codebook.csv)" "codebook: name labels with PII"

# the folder is 0750 and every file 0640 whatever the umask (cati(1) FILES)
for mask in 077 002; do
    ( umask $mask; cati export --survey fb --out "um$mask" >/dev/null ) || fail "export under umask $mask"
    expect_eq 750 "$(stat -c %a "um$mask")" "export folder mode under umask $mask"
    expect_eq "640" "$(stat -c %a "um$mask"/* | sort -u | tr '\n' ' ' | sed 's/ $//')" "file modes under umask $mask"
done
# a path is a path: a folder named like an SQLite URI is a folder, and the
# SQLite file goes into it (URIs could otherwise steer it to another file)
expect_rc 0 cati export --survey fb --out 'file:u.db?x=' --format sqlite
[ -s 'file:u.db?x=/fb.sqlite' ] || fail "the SQLite file is not in the folder named 'file:u.db?x='"
[ -e u.db ] && fail "a URI-like --out opened u.db"
finish
