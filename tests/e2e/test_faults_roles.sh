# Fault suite: permissions and roles. Files are created without world access
# (even under umask 000): the database, its -wal, -shm and -claim files,
# exports and a sync target. An interviewer cannot run supervisor or admin
# commands, cannot see another interviewer's case, cannot export or run SQL;
# a supervisor cannot run admin commands. Every refusal is one line, exit 1,
# and changes nothing.
. "$(dirname "$0")/lib.sh"

umask 000
setup_db
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
cat > sample.csv <<'CSV'
ref,name,phone,service
R1,Leki Yangden,17819192,cid_new
R2,Pema Wangdi,17207173,cid_new
R3,Karma Choden,17555111,cid_new
CSV
cati sample import --survey serve sample.csv >/dev/null || fail "sample import"
cati interviewer add pema >/dev/null
cati interviewer add karma >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
export CATI_NOW="2026-11-24 10:00"
CATI_USER=karma expect_rc 0 cati case next && karma_case=$OUT
CATI_USER=pema expect_rc 0 cati case next && pema_case=$OUT
CATI_USER=pema expect_rc 0 cati case outcome "$pema_case" no-answer
mkdir -p "$WORK/spool"
cp sample.csv other.csv

state() {
    sql "SELECT login, role, active, languages FROM interviewers ORDER BY id;
         SELECT id, priority, claimed_by, next_call_at, state FROM cases ORDER BY id;
         SELECT count(*) FROM calls; SELECT count(*) FROM surveys; SELECT count(*) FROM survey_versions;
         SELECT count(*) FROM audit; SELECT name, paused FROM surveys"
}
before=$(state)

# refused: one line "cati: permission denied: this needs the ROLE role, 'LOGIN' is …", exit 1
refused() { # refused LOGIN ROLE-NEEDED CMD…
    local who=$1 need=$2; shift 2
    CATI_USER=$who expect_rc 1 cati "$@" || return
    expect_eq "cati: permission denied: this needs the $need role, '$who' is $(sql "SELECT role FROM interviewers WHERE login = '$who'")" "$ERR" "cati $*"
    expect_eq "" "$OUT" "nothing on stdout for cati $*"
}
for cmd in "case release $karma_case" "case priority $karma_case 9" "case appoint $karma_case +60" \
           "report rates" "report scores" "report interviewers" "report flags" \
           "export --survey serve --out $WORK/out" "export --survey serve --out $WORK/out --with-pii" \
           "sync --to $WORK/central.db" "monitor --once" "survey pause serve"; do
    # shellcheck disable=SC2086
    refused pema supervisor $cmd
done
for who in pema sonam; do
    for cmd in "interviewer add mallory --role admin" "interviewer set pema --role admin" \
               "interviewer disable karma" "survey load $DATA/serve.cati" \
               "sample import --survey serve other.csv" "init"; do
        # shellcheck disable=SC2086
        refused $who admin $cmd
    done
done
refused pema supervisor interviewer list
[ -e "$WORK/out" ] && fail "a refused export created its directory"
[ -e "$WORK/central.db" ] && fail "a refused sync created its target"
# another interviewer's case: not shown, nor released, nor recorded
CATI_USER=pema expect_rc 1 cati case show "$karma_case" && expect_in "not yours" "$ERR"
karma_name=$(sql "SELECT name FROM cases WHERE id = $karma_case")
expect_not_in "$karma_name" "$OUT$ERR" "no respondent data of another's case"
CATI_USER=pema expect_rc 1 cati case outcome "$karma_case" refusal && expect_in "not claimed by you" "$ERR"
# the shell: the sql command needs a supervisor, and it only reads
CATI_USER=pema expect_rc 1 cati shell <<< 'sql SELECT name, phone FROM cases'
expect_in "permission denied" "$ERR"
CATI_USER=sonam expect_rc 2 cati shell <<< 'sql DELETE FROM cases'
expect_in "only read statements are allowed" "$ERR"
CATI_USER=sonam expect_rc 0 cati shell <<< 'sql SELECT count(*) FROM cases'
expect_in "3" "$OUT" "a supervisor reads"
# unknown and disabled logins
CATI_USER=nobody expect_rc 1 cati case next && expect_in "unknown interviewer 'nobody'" "$ERR"
expect_eq "$before" "$(state)" "refused commands changed nothing"
cati interviewer disable karma >/dev/null
CATI_USER=karma expect_rc 1 cati case show "$karma_case" && expect_in "is disabled" "$ERR"
cati interviewer enable karma >/dev/null

# what is allowed still works: a supervisor's export, sync and reports
CATI_USER=sonam expect_rc 0 cati report rates
CATI_USER=sonam expect_rc 0 cati case show "$karma_case" && expect_in "$karma_name" "$OUT"
CATI_USER=sonam expect_rc 0 cati export --survey serve --out "$WORK/out"
CATI_USER=sonam expect_rc 0 cati export --survey serve --out "$WORK/out" --format sqlite
CATI_USER=sonam expect_rc 0 cati sync --to "$WORK/central.db"

# modes: nothing world-accessible, whatever the umask. A shell keeps the
# database open, so the -wal and -shm cati's connection made are there.
mkfifo "$WORK/shell.in"
CATI_USER=sonam cati shell < "$WORK/shell.in" > "$WORK/shell.out" 2>&1 &
shell=$!
exec 3> "$WORK/shell.in"
echo "sql SELECT 'open', count(*) FROM cases" >&3
for _ in $(seq 250); do grep -q open "$WORK/shell.out" && break; sleep 0.02; done
grep -q open "$WORK/shell.out" || fail "the shell never answered: $(cat "$WORK/shell.out")"
mode_ok() { # path: no permission bits for others
    local m
    m=$(stat -c %a "$1") || { fail "no $1"; return; }
    case "$m" in *0) ;; *) fail "$1 has mode $m: world access";; esac
}
for f in cati.db cati.db-wal cati.db-shm cati.db-claim central.db out; do mode_ok "$WORK/$f"; done
n=0
for f in "$WORK"/out/*; do mode_ok "$f"; n=$((n + 1)); done
[ $n -ge 3 ] || fail "export wrote $n files"
echo "modes: $(cd "$WORK" && stat -c '%a %n' cati.db cati.db-wal cati.db-shm cati.db-claim central.db out out/* | tr '\n' ' ')"
exec 3>&-
wait $shell
finish
