# An export with personal data killed while it writes leaves nothing
# readable behind: its files are unnamed (O_TMPFILE) until they are
# complete, so kill -9 at any point leaves no hidden temporary file full of
# names and phone numbers (issue 15: 34 of 35 kills left them before).
. "$(dirname "$0")/lib.sh"
setup_db
"$REPO/scripts/gen-results" cati.db 3000 30 k || fail "gen-results"
left=0
for round in 1 2 3 4 5 6 7 8; do
    "$CATI_BIN" export --survey bench --out "k$round" --with-pii --format csv,sav,dta >/dev/null 2>&1 &
    pid=$!
    # kill it once it has a file of the export open for writing
    i=0
    until ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "/k$round/"; do
        i=$((i + 1))
        if [ $i -gt 2000 ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.005
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ -d "k$round" ] || continue
    hidden=$(ls -A "k$round" | grep '^\.' || true)
    if [ -n "$hidden" ]; then
        left=$((left + 1))
        fail "round $round: the killed export left $hidden"
    fi
done
expect_eq 0 "$left" "kills that left temporary files"
# each run, killed or not, was audited before it wrote any personal data
expect_eq 8 "$(sql "SELECT count(*) FROM audit WHERE action = 'export with pii begun'")" \
    "audit rows of the killed exports"
# and a complete export still writes every file
expect_rc 0 cati export --survey bench --out whole --with-pii
expect_eq 5 "$(ls whole | wc -l)" "files of a complete export"
expect_eq "" "$(ls -A whole | grep '^\.' || true)" "no hidden file after a complete export"
expect_eq "export with pii begun|export with pii" \
    "$(sql "SELECT group_concat(action, '|') FROM (SELECT id, action FROM (SELECT id, action FROM audit WHERE action LIKE 'export%' ORDER BY id DESC LIMIT 2) ORDER BY id)")" \
    "a complete export: audited before and after"
finish
