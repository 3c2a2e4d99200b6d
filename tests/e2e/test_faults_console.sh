# Fault suite through the real console (tmux): a locked database and a full
# disk while an interviewer answers. The answer is not saved, the screen says
# why, nothing saved before is lost, and Enter again saves it once the lock
# is gone or the space is back. The disk-full half needs root and mount (a
# small tmpfs); without them it says so and only the lock half runs.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"

SMALL="$WORK/small"
mkdir -p "$SMALL"
full=1
if [ "$(id -u)" != 0 ]; then
    echo "SKIP (disk full): needs root to mount a small tmpfs"; full=0
elif ! mount -t tmpfs -o size=8m,mode=0755 cati-console-full "$SMALL" 2>"$WORK/mount.err"; then
    echo "SKIP (disk full): cannot mount a tmpfs here: $(cat "$WORK/mount.err")"; full=0
fi
holder=
trap '[ -n "$holder" ] && kill $holder 2>/dev/null; tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; { umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null; }; cleanup' EXIT
cat > cati.ini <<INI
[database]
path = $SMALL/cati.db
busy_timeout_ms = 300
[security]
allow_user_override = yes
INI
sql() { sqlite3 -batch -noheader "$SMALL/cati.db" "$@"; }
console_db

# hold_lock / release_lock: the sqlite3 shell keeps BEGIN IMMEDIATE open
hold_lock() {
    rm -f "$WORK/hold" "$WORK/hold.out"; mkfifo "$WORK/hold"
    sqlite3 -batch "$SMALL/cati.db" < "$WORK/hold" > "$WORK/hold.out" 2>&1 &
    holder=$!
    exec 3> "$WORK/hold"
    echo "BEGIN IMMEDIATE; UPDATE cases SET priority = priority; SELECT 'locked';" >&3
    for _ in $(seq 250); do grep -q locked "$WORK/hold.out" && return 0; sleep 0.02; done
    fail "the sqlite3 shell never took the lock: $(cat "$WORK/hold.out")"
}
release_lock() { echo "ROLLBACK;" >&3; exec 3>&-; wait $holder; holder=; }
# fill_disk / free_disk: an empty WAL first, so the next commit needs new space
fill_disk() {
    sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null
    dd if=/dev/zero of="$SMALL/filler" bs=1 oflag=append conv=notrunc 2>/dev/null
}
answers() { sql "SELECT count(*) FROM answers; SELECT count(*) FROM answer_log"; }

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n; twait a1 "Case T-1"; tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 2 Enter
twait a1 "access_req  ·"
before=$(answers)

# locked: "not saved: the database is busy", then Enter again after the lock goes
hold_lock
tkeys a1 4 Enter
twait a1 "not saved: the database is busy"
expect_in "access_req  ·" "$(tscreen a1)" "still on the question"
expect_eq "$before" "$(answers)" "nothing written while locked"
release_lock
tscreen a1 | grep -F "not saved"
tkeys a1 Enter                              # the typed answer is still there
twait a1 "access_visits  ·"
expect_eq "4" "$(sql "SELECT value FROM answers WHERE question = 'access_req'")" "saved after the lock"
expect_eq "1|1" "$(sql "SELECT count(*), (SELECT count(*) FROM answer_log WHERE question = 'access_req') FROM answers WHERE question = 'access_req'")" "saved once"

if [ $full = 1 ]; then
    before=$(answers)
    fill_disk
    tkeys a1 3 Enter
    twait a1 "not saved:"
    expect_in "disk is full" "$(tscreen a1)" "clear message"
    tscreen a1 | grep -F "not saved"
    expect_in "access_visits  ·" "$(tscreen a1)" "still on the question"
    expect_eq "$before" "$(answers)" "nothing lost or written on a full disk"
    rm -f "$SMALL/filler"
    tkeys a1 Enter
    twait a1 "access_why  ·"
    expect_eq "3" "$(sql "SELECT value FROM answers WHERE question = 'access_visits'")" "saved after space returned"
    answer a1 access_why "the road was closed" Enter
    twait a1 "time_rate  ·"
fi
expect_eq ok "$(sql 'PRAGMA integrity_check')" "integrity"
finish
