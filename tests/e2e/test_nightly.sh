# scripts/cati-nightly-export: dated folders, one log line per run, the lock,
# non-zero exit (and a line on stderr) on failure.
. "$(dirname "$0")/lib.sh"
NIGHTLY="$REPO/scripts/cati-nightly-export"
export CATI="$CATI_BIN"

setup_db
"$REPO/scripts/gen-results" cati.db 30 6 n || fail "gen-results"

# a first run: the dated folder, nothing printed, one log line
out=$("$NIGHTLY" -o exports bench 2>"$WORK/.err"); rc=$?
expect_eq 0 "$rc" "exit status" && expect_eq "" "$out$(cat "$WORK/.err")" "output of a good run"
today=exports/$(date +%F)
[ -d "$today" ] || fail "no folder $today"
rows() { grep -c '^n-case-' "$1"; } # records (text answers hold line breaks)
expect_eq 30 "$(rows "$today/bench_interviews.csv")" "rows in the first night's file"
[ -s "$today/bench.sav" ] || fail "no bench.sav"
[ -s "$today/bench.dta" ] || fail "no bench.dta"
expect_eq 1 "$(wc -l < exports/cati-nightly-export.log)" "log lines"
expect_in " ok: bench: 30 interviews, 45 calls -> exports/$(date +%F)" "$(cat exports/cati-nightly-export.log)"

# a second run the same day: a new folder, only what changed since (nothing)
expect_rc 0 "$NIGHTLY" -o exports -f csv bench
expect_eq 3 "$(ls exports | wc -l)" "folders + log"
second=$(ls -d exports/*T* | head -n 1)
expect_eq 1 "$(wc -l < "$second/bench_interviews.csv")" "second run: header only"
expect_eq 30 "$(rows "$today/bench_interviews.csv")" "the first night's file is kept"
expect_eq 2 "$(wc -l < exports/cati-nightly-export.log)" "log lines"

# the lock: while a run holds it, another does nothing and fails
flock exports/.cati-nightly-export.lock "$NIGHTLY" -o exports bench >/dev/null 2>"$WORK/.err"
rc=$?; expect_eq 1 "$rc" "exit status while locked"
expect_in "another run holds the lock" "$(cat "$WORK/.err")"
expect_in "FAILED: another run holds the lock" "$(tail -n 1 exports/cati-nightly-export.log)"
expect_eq 3 "$(ls exports | wc -l)" "no folder made while locked"
expect_eq 3 "$(wc -l < exports/cati-nightly-export.log)" "one log line for the locked run"
# with -w it waits for the lock instead: a holder keeps it until told to go
mkfifo go
( flock 9 && echo held > held.txt && read -r _ < go ) 9>>exports/.cati-nightly-export.lock &
holder=$!
i=0; until [ -s held.txt ] || [ $i -gt 200 ]; do sleep 0.05; i=$((i+1)); done
"$NIGHTLY" -o exports -w 60 bench >/dev/null 2>&1 &
waiter=$!
# it is waiting: the log does not move while the lock is held
logn=$(wc -l < exports/cati-nightly-export.log)
kill -0 $waiter 2>/dev/null || fail "the -w run did not wait"
expect_eq "$logn" "$(wc -l < exports/cati-nightly-export.log)" "log while waiting"
echo go > go
wait $holder
wait $waiter; expect_eq 0 "$?" "the -w run after the lock was released"
expect_in " ok: bench: 0 interviews" "$(tail -n 1 exports/cati-nightly-export.log)"

# a failure: non-zero, the line on stderr (cron mails it), logged, no empty folder
before=$(ls exports | wc -l)
[ "$before" = 4 ] || fail "folders after four runs: $(ls exports)"
"$NIGHTLY" -o exports nosuch >/dev/null 2>"$WORK/.err"; rc=$?
expect_eq 1 "$rc" "exit status of a failed export"
expect_in "FAILED" "$(cat "$WORK/.err")" && expect_in "unknown survey 'nosuch'" "$(cat "$WORK/.err")"
expect_in "nosuch: FAILED" "$(tail -n 1 exports/cati-nightly-export.log)"
expect_eq "$before" "$(ls exports | wc -l)" "no folder left by a failed run"
# a run as an interviewer is refused by cati, and reported
cati interviewer add tashi >/dev/null
CATI_USER=tashi "$NIGHTLY" -o exports bench >/dev/null 2>"$WORK/.err"; rc=$?
expect_eq 1 "$rc" "exit status for an interviewer" && expect_in "permission denied" "$(cat "$WORK/.err")"
# a database that fails `cati check` is not exported (issue 11 §5): exit 1,
# the reason in the log, no folder, and the watermark does not move
c1=$(sql "SELECT id FROM cases WHERE ref = 'n-1'")
sql "UPDATE cases SET disposition = '2.30' WHERE id = $c1"
before=$(ls exports | wc -l) marks=$(sql "SELECT count(*) FROM exports")
"$NIGHTLY" -o exports bench >/dev/null 2>"$WORK/.err"; rc=$?
expect_eq 1 "$rc" "exit status for a database that fails cati check"
expect_in "cati check failed, nothing exported: cati: check: 2 violations" "$(tail -n 1 exports/cati-nightly-export.log)"
expect_in "(first: disposition n-1 (case $c1): final 2.30, but its calls give 1.1" "$(tail -n 1 exports/cati-nightly-export.log)"
expect_in "cati check failed" "$(cat "$WORK/.err")"
expect_eq "$before" "$(ls exports | wc -l)" "no folder for a database that fails cati check"
expect_eq "$marks" "$(sql "SELECT count(*) FROM exports")" "no export recorded"
sql "UPDATE cases SET disposition = '1.1' WHERE id = $c1"
expect_rc 0 "$NIGHTLY" -o exports bench
expect_rc 2 "$NIGHTLY" -o exports && expect_in "usage" "$ERR"

# Issue 11 §3: a run that cannot record its export (another process holds
# the write lock) fails, leaves no folder that looks delivered and moves no
# watermark: the next run delivers those interviews, once.
printf '[database]\nbusy_timeout_ms = 300\n' >> cati.ini
"$REPO/scripts/gen-results" cati.db 7 6 x || fail "gen-results (more interviews)"
mkfifo release
{ echo ".timeout 30000"; echo "BEGIN EXCLUSIVE;"; read -r _ < release; echo "COMMIT;"; } | sqlite3 cati.db &
locker=$!
i=0; until [ -n "$(sqlite3 -cmd ".timeout 0" cati.db "BEGIN IMMEDIATE; ROLLBACK;" 2>&1)" ] || [ $i -gt 200 ]; do sleep 0.05; i=$((i+1)); done
folders=$(ls -A exports)
"$NIGHTLY" -o exports bench >/dev/null 2>"$WORK/.err"; rc=$?
echo go > release; wait $locker
expect_eq 1 "$rc" "exit status while the database is locked"
expect_in "busy" "$(cat "$WORK/.err")"
expect_in "nothing delivered" "$(tail -n 1 exports/cati-nightly-export.log)"
expect_eq "$folders" "$(ls -A exports)" "folders after the locked run (no dated, no .partial folder)"
expect_eq "0" "$(sql "SELECT count(*) FROM exports WHERE state = 'pending'")" "pending exports after the locked run"
expect_rc 0 "$NIGHTLY" -o exports bench
last=$(ls -d exports/2* | sort | tail -n 1)
expect_eq 7 "$(grep -c '^x-case-' "$last/bench_interviews.csv")" "the next run delivers the 7 new interviews"
# every interview in exactly one delivered folder
expect_eq "" "$(cat exports/2*/bench_interviews.csv | grep -o '^[a-z]*-case-[0-9]*,[^,]*' | sort | uniq -d)" "interviews delivered twice"
expect_eq 37 "$(cat exports/2*/bench_interviews.csv | grep -c '^[a-z]*-case-')" "interviews delivered"
expect_rc 2 "$NIGHTLY" -f xls bench
finish
