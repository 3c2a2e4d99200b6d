# Fault suite: disk full. The database lives on a small tmpfs made for the
# test; the core driver (build/faults/diskfull) and the cati commands must
# fail to save with a clear message, lose nothing, and work again once the
# space returns. Needs root and a kernel that lets us mount: otherwise it
# says so and passes.
. "$(dirname "$0")/lib.sh"

DISKFULL="$(dirname "$CATI_BIN")/faults/diskfull"
[ -x "$DISKFULL" ] || { fail "no $DISKFULL: build it with make"; finish; }
SMALL="$WORK/small"
mkdir -p "$SMALL"
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: disk-full test needs root to mount a small tmpfs"; finish
fi
if ! mount -t tmpfs -o size=8m,mode=0755 cati-diskfull "$SMALL" 2>"$WORK/mount.err"; then
    echo "SKIP: cannot mount a tmpfs here ($(cat "$WORK/mount.err")); disk-full test not run"; finish
fi
holder=
trap '[ -n "$holder" ] && kill $holder 2>/dev/null; { umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null; }; cleanup' EXIT

cat > cati.ini <<INI
[database]
path = $SMALL/cati.db
[security]
allow_user_override = yes
[calling]
hours = 00:00-24:00
days = mon-sun
INI
ssql() { sqlite3 -batch -noheader "$SMALL/cati.db" "$@"; }
setup_db
for who in w1 w2; do cati interviewer add $who >/dev/null || fail "add $who"; done
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
{
    echo "ref,name,phone,service,agency,availed_on"
    for i in 1 2 3 4 5 6; do printf 'R%d,Respondent %d,1700000%d,cid_new,DCRC,2026-10-01\n' $i $i $i; done
} > sample.csv
cati sample import --survey serve sample.csv >/dev/null || fail "sample import"
now=$(date -d "2026-11-23 10:00" +%s)
export CATI_NOW=$now

# the core: an answer refused while the disk is full, saved once space returns
if OUT=$("$DISKFULL" "$SMALL/cati.db" "$WORK/cati.ini" "$SMALL/filler" "$now" 2>&1); then
    echo "$OUT"
    expect_in "refused: cannot save: database or disk is full" "$OUT"
    expect_in "none lost" "$OUT"
else
    fail "diskfull driver: $OUT"
fi
[ -e "$SMALL/filler" ] && fail "the driver left its filler"

# the commands: one clear line, exit 1, nothing changed; then work goes on.
# fill_disk: an empty WAL first, so the next commit needs new space
fill_disk() {
    ssql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null
    dd if=/dev/zero of="$SMALL/filler" bs=1 oflag=append conv=notrunc 2>/dev/null
}
state() {
    ssql "SELECT count(*) FROM calls; SELECT count(*) FROM cases WHERE claimed_by IS NOT NULL;
          SELECT count(*) FROM interviewers"
}
full_disk_refused() { # the commands fail on a full disk, one clear line each
    CATI_USER=w2 expect_rc 1 cati case next && expect_in "database or disk is full" "$ERR"
    echo "$1: case next: $ERR"
    expect_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one error line"
    CATI_USER=admin expect_rc 1 cati interviewer add w3 && expect_in "database or disk is full" "$ERR"
}
before=$(state)
# 1. another process (a console) keeps the database open: the write fails
mkfifo "$WORK/hold"
sqlite3 -batch "$SMALL/cati.db" < "$WORK/hold" > "$WORK/hold.out" &
holder=$!
exec 3> "$WORK/hold"
echo "SELECT 'open', count(*) FROM cases;" >&3
for _ in $(seq 250); do grep -q open "$WORK/hold.out" && break; sleep 0.02; done
grep -q open "$WORK/hold.out" || fail "the holding connection never opened"
fill_disk
full_disk_refused "database open elsewhere"
rm -f "$SMALL/filler"
exec 3>&-
wait $holder
holder=
# 2. nobody has it open: opening needs space for the WAL index
fill_disk
full_disk_refused "database closed"
rm -f "$SMALL/filler"
expect_eq "$before" "$(state)" "nothing changed"
expect_eq ok "$(ssql 'PRAGMA integrity_check')" "integrity"
CATI_USER=w2 expect_rc 0 cati case next && id=$OUT
CATI_USER=w2 expect_rc 0 cati case outcome "$id" no-answer
CATI_USER=admin expect_rc 0 cati interviewer add w3
expect_eq 1 "$(ssql "SELECT count(*) FROM interviewers WHERE login = 'w3'")" "added after space returned"
finish
