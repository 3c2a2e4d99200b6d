# cati init, config errors, accounts, roles, exit codes.
. "$(dirname "$0")/lib.sh"

expect_rc 0 cati init && expect_in "first admin" "$OUT"
expect_eq "7" "$(sql 'PRAGMA user_version')" "schema version"
expect_eq "1128354889" "$(sql 'PRAGMA application_id')" "application_id"
expect_eq "wal" "$(sql 'PRAGMA journal_mode')" "journal mode"
expect_eq "admin|admin" "$(sql "SELECT login, role FROM interviewers")" "first admin"
expect_rc 0 cati init && expect_in "up to date" "$OUT"
perm=$(stat -c %a cati.db); expect_not_in "4" "${perm:2:1}" "world bits of cati.db ($perm)"

# foreign files are refused and left untouched
echo "hello" > notdb; expect_rc 1 cati -d notdb init && expect_in "not a cati database" "$ERR"
expect_eq "hello" "$(cat notdb)" "foreign file"
sqlite3 other.db "CREATE TABLE t(x)"; expect_rc 1 cati -d other.db init
expect_in "another program" "$ERR"
cp cati.db newer.db; sqlite3 newer.db "PRAGMA user_version=99"
expect_rc 1 cati -d newer.db interviewer list && expect_in "newer" "$ERR"
expect_rc 1 cati -d missing.db interviewer list && expect_in "cati init" "$ERR"
[ -e missing.db ] && fail "missing.db was created"

# configuration errors name file and key, exit 2
printf '[calling]\nmax_attempts = lots\n' > bad.ini
expect_rc 2 cati -c bad.ini config && expect_in "bad.ini:2: calling:max_attempts: must be 1..99, got 'lots'" "$ERR"
printf '[calling]\nmax_atempts = 3\n' > typo.ini
expect_rc 2 cati -c typo.ini config && expect_in "calling:max_atempts: unknown key" "$ERR"
printf '[calling]\nhours = 9-5\n' > hours.ini
expect_rc 2 cati -c hours.ini config && expect_in "calling:hours" "$ERR"
# a time zone is checked as the sample importer checks it: a directory of
# the tz database ("Asia") or a file that is not a zone is refused, never UTC
for tz in Asia zone.tab Asia/Nowhere; do
    printf '[calling]\ntimezone = %s\n' "$tz" > tz.ini
    expect_rc 2 cati -c tz.ini config && expect_in "tz.ini:2: calling:timezone: must be a time zone name" "$ERR"
done
printf '[calling]\ntimezone = America/Argentina/Buenos_Aires\n' > tz.ini
expect_rc 0 cati -c tz.ini config && expect_in "calling:timezone = America/Argentina/Buenos_Aires" "$OUT"
# a lax file is an error naming the file and line, never silently ignored:
# a key outside any section, NaN, a binary file (issue 15)
printf 'lease_minutes=5\n[calling]\nmax_attempts = 3\n' > nosec.ini
expect_rc 2 cati -c nosec.ini config && expect_in "nosec.ini:1: 'lease_minutes' is outside any section: put it under [calling]" "$ERR"
printf '[rates]\ne = nan\n' > nan.ini
expect_rc 2 cati -c nan.ini config && expect_in "nan.ini:2: rates:e: must be a number 0..1" "$ERR"
head -c 4096 "$CATI_BIN" > bin.ini
expect_rc 2 cati -c bin.ini config && expect_in "bin.ini:1: not a text file" "$ERR"
expect_rc 2 cati -c "$CATI_BIN" config && expect_in "not a configuration file" "$ERR"
printf '[calling]\nmax_attempts = 3\0junk\n' > nul.ini
expect_rc 2 cati -c nul.ini config && expect_in "nul.ini:2: not a text file (a NUL byte)" "$ERR"
printf '[calling]\n\377\376 = 3\n' > utf.ini
expect_rc 2 cati -c utf.ini config && expect_in "utf.ini:2: not a text file (invalid UTF-8)" "$ERR"
expect_rc 2 cati -c nowhere.ini config && expect_in "nowhere.ini" "$ERR"
expect_rc 0 cati config && expect_in "calling:max_attempts = 8" "$OUT"
expect_in "security:allow_user_override = yes" "$OUT"

# accounts and roles
expect_rc 0 cati interviewer add pema --name "Pema Wangmo" --lang en,dz
expect_rc 0 cati interviewer add sonam --role supervisor
expect_rc 2 cati interviewer add pema && expect_in "already exists" "$ERR"
expect_rc 2 cati interviewer add 'x;drop' && expect_in "invalid login" "$ERR"
expect_rc 2 cati interviewer add karma --role boss
expect_rc 0 cati interviewer list && expect_in "Pema Wangmo" "$OUT"
expect_in "supervisor" "$OUT"
CATI_USER=pema expect_rc 1 cati interviewer add tashi && expect_in "permission denied" "$ERR"
CATI_USER=pema expect_rc 1 cati interviewer list && expect_in "needs the supervisor role" "$ERR"
CATI_USER=sonam expect_rc 0 cati interviewer list
CATI_USER=nobody expect_rc 1 cati interviewer list && expect_in "cati interviewer add nobody" "$ERR"
expect_rc 0 cati interviewer disable pema
CATI_USER=pema expect_rc 1 cati interviewer list && expect_in "disabled" "$ERR"
expect_rc 0 cati interviewer enable pema
expect_eq "1" "$(sql "SELECT active FROM interviewers WHERE login='pema'")" "pema enabled"
# the last active admin cannot demote (or disable) themselves: nothing could undo it
expect_rc 2 cati interviewer set admin --role supervisor && expect_in "admin is the last active admin" "$ERR"
expect_eq "admin|1" "$(sql "SELECT role, active FROM interviewers WHERE login='admin'")" "still admin"
expect_rc 0 cati interviewer set sonam --role admin
CATI_USER=sonam expect_rc 0 cati interviewer disable admin
CATI_USER=sonam expect_rc 2 cati interviewer set sonam --role interviewer && expect_in "sonam is the last active admin" "$ERR"
CATI_USER=sonam expect_rc 0 cati interviewer enable admin
expect_rc 0 cati interviewer set sonam --role supervisor
expect_eq "admin" "$(sql "SELECT group_concat(login) FROM interviewers WHERE role='admin' AND active")" "one admin again"
expect_rc 2 cati nonsense && expect_in "unknown command" "$ERR"
expect_rc 0 cati help && expect_in "cati survey load" "$OUT"
# the override is honoured only when the configuration allows it
printf '[database]\npath = %s/cati.db\n' "$WORK" > strict.ini
CATI_USER=pema expect_rc 1 cati -c strict.ini interviewer add tashi
expect_in "unknown interviewer '$(id -un)'" "$ERR"
finish
