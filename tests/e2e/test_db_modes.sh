# The database and its -wal, -shm and -claim files are 0660 whatever the
# umask (README "Files", cati(1) FILES).
. "$(dirname "$0")/lib.sh"

for mask in 022 077 002; do
    mkdir "m$mask"
    (
        cd "m$mask" || exit 1
        umask "$mask"
        cati -d cati.db init >/dev/null || exit 1
        cati -d cati.db interviewer add pema >/dev/null || exit 1
        sqlite3 cati.db "INSERT INTO surveys(name, title, created_at, uuid) VALUES('serve', 'ServE', 0, 's1');
          INSERT INTO cases(uuid, survey_id, ref, name, service, created_at, updated_at)
            VALUES('c1', 1, 'R1', 'Respondent 1', 'cid_new', 0, 0);
          INSERT INTO phones(case_id, position, number) VALUES(1, 1, '+97517000001');" || exit 1
        # a claim makes DB-claim; an open connection keeps -wal and -shm
        CATI_USER=pema CATI_NOW="2026-11-23 10:00" cati -d cati.db case next >/dev/null || exit 1
    ) || fail "setting up under umask $mask"
    for f in cati.db cati.db-claim; do
        [ -e "m$mask/$f" ] || { fail "no $f under umask $mask"; continue; }
        expect_eq 660 "$(stat -c %a "m$mask/$f")" "mode of $f under umask $mask"
    done
    # -wal and -shm exist while a connection is open: hold one in sqlite3
    (
        cd "m$mask" || exit 1
        umask "$mask"
        rm -f cati.db-wal cati.db-shm
        mkfifo go
        { echo "BEGIN; SELECT count(*) FROM cases;"; read -r _ < go; } | sqlite3 cati.db >/dev/null &
        i=0; until [ -e cati.db-shm ] || [ $i -gt 200 ]; do sleep 0.05; i=$((i+1)); done
        CATI_USER=admin cati -d cati.db interviewer add karma >/dev/null
        for f in cati.db-wal cati.db-shm; do stat -c "$f %a" "$f"; done > modes.txt
        echo go > go
        wait
    )
    expect_eq "cati.db-wal 660
cati.db-shm 660" "$(cat "m$mask/modes.txt" 2>/dev/null)" "-wal and -shm under umask $mask"
done
finish
