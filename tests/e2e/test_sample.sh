# cati sample import: the demo sample, bad rows with their lines, all or nothing, roles.
. "$(dirname "$0")/lib.sh"

setup_db
# `cati survey load` is built elsewhere: make the survey rows directly.
sql "INSERT INTO surveys(name, title, created_at, uuid) VALUES ('serve', 'ServE', 0, 'e2e-s1');
     INSERT INTO survey_versions(survey_id, version, source, fields, loaded_at, uuid)
       VALUES (1, 1, '', '', 0, 'e2e-v1'), (1, 2, '', 'gewog', 0, 'e2e-v2');"
cati interviewer add pema >/dev/null
cati interviewer add sonam --role supervisor >/dev/null

# the demo sample imports whole
export CATI_NOW="2026-11-02 09:30"
expect_rc 0 cati sample import --survey serve "$DATA/demo-sample.csv" &&
    expect_eq "imported 300 respondents into survey serve" "$OUT"
expect_eq 300 "$(sql 'SELECT count(*) FROM cases')" "cases"
expect_eq "new|0|300" "$(sql "SELECT DISTINCT state, next_call_at, count(*) FROM cases")" "case state"
expect_eq 1 "$(sql "SELECT count(DISTINCT created_at) FROM cases")" "created_at"
expect_eq 300 "$(sql "SELECT count(DISTINCT uuid) FROM cases")" "uuids"
expect_eq 300 "$(sql "SELECT count(*) FROM case_fields WHERE name = 'gewog'")" "gewog fields"
phone2=$(awk -F, 'NR > 1 && $4 != ""' "$DATA/demo-sample.csv" | wc -l)
expect_eq $((300 + phone2)) "$(sql 'SELECT count(*) FROM phones')" "phones"
expect_eq 0 "$(sql "SELECT count(*) FROM phones WHERE number NOT GLOB '+975[17]7[0-9][0-9][0-9][0-9][0-9][0-9]'")" "normalised numbers"
expect_eq 20 "$(sql 'SELECT count(DISTINCT district) FROM cases')" "dzongkhags"
expect_in "sample import" "$(sql 'SELECT action FROM audit')" "audit"

# importing it again: every row is a duplicate, 20 shown, nothing changes
expect_rc 2 cati sample import --survey serve "$DATA/demo-sample.csv"
expect_in "demo-sample.csv:2: ref '" "$ERR"
expect_in "is already in survey serve" "$ERR"
expect_in "… and 280 more bad rows" "$ERR"
expect_in "300 bad rows, nothing imported" "$ERR"
expect_eq 22 "$(printf '%s\n' "$ERR" | wc -l)" "stderr lines (20 rows, the count, the summary)"
expect_eq 300 "$(sql 'SELECT count(*) FROM cases')" "cases after a rejected file"

# each bad row with its line; the good rows are not loaded either
printf 'ref,name,phone,gewog,availed_on\r\n' > bad.csv
printf 'N1,Good Row,17111111,Chang,2026-03-01\r\n' >> bad.csv
printf 'N2,,17111112,Chang,2026-03-01\r\n' >> bad.csv                  # 3 empty name
printf 'N3,"Two\r\nLines",17-1,Chang,2026-03-01\r\n' >> bad.csv        # 4 bad phone
printf 'N1,Again,17111113,Chang,2026-03-01\r\n' >> bad.csv             # 6 duplicate
printf 'N4,Date,17111114,Chang,2026-02-30\r\n' >> bad.csv              # 7 bad date
printf 'N5,Short,17111115\r\n' >> bad.csv                              # 8 ragged
printf 'N6,\xff\xfe,17111116,Chang,2026-03-01\r\n' >> bad.csv          # 9 invalid UTF-8
printf 'N7,"never closed,17111117,Chang,2026-03-01\r\n' >> bad.csv     # 10 unterminated
expect_rc 2 cati sample import --survey serve bad.csv
expect_in "bad.csv:3: empty name" "$ERR"
expect_in "bad.csv:4: bad phone '17-1'" "$ERR"
expect_in "bad.csv:6: duplicate ref 'N1' (first at line 2)" "$ERR"
expect_in "bad.csv:7: bad availed_on '2026-02-30'" "$ERR"
expect_in "bad.csv:8: expected 5 fields, got 3" "$ERR"
expect_in "bad.csv:9: invalid UTF-8 in column name" "$ERR"
expect_in "bad.csv:10: unterminated quote" "$ERR"
expect_in "7 bad rows, nothing imported" "$ERR"
expect_eq 0 "$(sql "SELECT count(*) FROM cases WHERE ref LIKE 'N%'")" "nothing from bad.csv"

# header problems and other input errors: exit 2, one line
printf 'ref,name,phone\nX1,Karma,17000000\n' > nogewog.csv
expect_rc 2 cati sample import --survey serve nogewog.csv &&
    expect_eq "cati: nogewog.csv:1: missing required column: gewog" "$ERR"
expect_rc 2 cati sample import --survey nosuch "$DATA/demo-sample.csv" && expect_in "unknown survey 'nosuch'" "$ERR"
expect_rc 2 cati sample import --survey serve missing.csv && expect_in "cannot open 'missing.csv'" "$ERR"
expect_rc 2 cati sample import serve.csv && expect_in "usage: cati sample import" "$ERR"
expect_rc 2 cati sample import --survey serve && expect_in "usage:" "$ERR"
expect_rc 2 cati sample frobnicate && expect_in "usage:" "$ERR"

# roles: admin only
printf 'ref,name,phone,gewog\nR1,Karma,17000001,Chang\n' > one.csv
CATI_USER=pema expect_rc 1 cati sample import --survey serve one.csv && expect_in "permission denied" "$ERR"
CATI_USER=sonam expect_rc 1 cati sample import --survey serve one.csv && expect_in "needs the admin role" "$ERR"

# standard input, extra columns kept, country code from cati.ini
printf '[calling]\ncountry_code = 91\n' >> cati.ini
printf 'ref,name,phone,gewog,phone_type,timezone,priority\nR2,Asha,98765 43210,-,mobile,Asia/Kolkata,7\n' > r2.csv
expect_rc 0 cati sample import --survey serve - < r2.csv && expect_in "imported 1 respondents" "$OUT"
expect_eq "+919876543210" "$(sql "SELECT number FROM phones JOIN cases c ON c.id = case_id WHERE ref = 'R2'")"
expect_eq "mobile" "$(sql "SELECT value FROM case_fields JOIN cases c ON c.id = case_id WHERE ref = 'R2' AND case_fields.name = 'phone_type'")"
expect_eq "Asia/Kolkata|7" "$(sql "SELECT timezone, priority FROM cases WHERE ref = 'R2'")"

# a pipe that is slow to deliver does not hold the write lock: the import
# reads its input to the end before its transaction, so an interviewer's
# write meanwhile goes through at once (before: it waited, then failed)
mkfifo feed
"$CATI_BIN" sample import --survey serve - < feed > imp.out 2>&1 &
imp=$!
exec 9> feed
printf 'ref,name,phone,gewog\nR3,Dorji,17000003,Chang\n' >&9
# wait until the importer has the database open and is blocked reading the pipe
i=0
until ls -l "/proc/$imp/fd" 2>/dev/null | grep -q 'cati.db$' &&
      grep -q '^0 0x0 ' "/proc/$imp/syscall" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 400 ] && { fail "the importer never waited on its input"; break; }
    sleep 0.05
done
{ cat cati.ini; printf '[database]\nbusy_timeout_ms = 200\n'; } > quick.ini
CATI_USER=pema expect_rc 0 cati -c quick.ini -d cati.db case next
printf 'R4,Sonam,17000004,Chang\n' >&9
exec 9>&-
wait "$imp"; expect_eq 0 "$?" "import from the pipe ($(cat imp.out))"
expect_in "imported 2 respondents" "$(cat imp.out)"
expect_eq 2 "$(sql "SELECT count(*) FROM cases WHERE ref IN ('R3', 'R4')")" "both rows of the pipe"
finish
