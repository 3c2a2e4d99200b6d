# cati monitor at 160x48, All view: two columns of whole panels. Each
# panel's title and every line of it (as `cati monitor --once --panel P
# --width 79` prints it, the column's width) are in one column: no panel
# flows from the bottom of one column to the top of the next.
. "$(dirname "$0")/lib.sh"
cat >> cati.ini <<INI
[monitor]
refresh_seconds = 60
INI
export CATI_NOW="2026-11-02 10:00"
setup_db
cati interviewer add sonam --role supervisor >/dev/null
for i in pema karma dawa; do cati interviewer add $i >/dev/null; done
expect_rc 0 cati survey load "$DATA/serve.cati"
sed 's/^survey serve /survey second /' "$DATA/serve.cati" > second.cati
expect_rc 0 cati survey load second.cati
head -21 "$DATA/demo-sample.csv" > sample.csv
expect_rc 0 cati sample import --survey serve sample.csv
expect_rc 0 cati sample import --survey second sample.csv
ids=$(sql "SELECT id FROM cases ORDER BY id LIMIT 6")
set -- $ids
CATI_USER=sonam expect_rc 0 cati case outcome "$1" complete --note "phoned in"
CATI_USER=sonam expect_rc 0 cati case outcome "$2" refusal
CATI_USER=sonam expect_rc 0 cati case outcome "$3" no-answer
CATI_USER=pema cati case next >/dev/null || fail "case next"
sql "INSERT INTO interviews(uuid, case_id, survey_version_id, interviewer_id, started_at, updated_at)
       VALUES ('e2e-i1', $1, 1, (SELECT id FROM interviewers WHERE login = 'pema'), 0, 0);
     INSERT INTO answers(uuid, interview_id, question, value, seq, answered_at, updated_at)
       SELECT 'e2e-a' || q, i.id, q, v, 1, 0, 0 FROM interviews i,
       (SELECT 'access' AS q, '5' AS v UNION ALL SELECT 'time_rate', '2' UNION ALL SELECT 'int_rate', '4')
       WHERE i.uuid = 'e2e-i1';
     UPDATE interviews SET outcome = 'complete' WHERE uuid = 'e2e-i1';
     INSERT INTO flags(uuid, case_id, kind, question, text, raised_at, updated_at)
       VALUES ('e2e-f1', $4, 'complaint', 'complaint', 'The counter was closed twice', strftime('%s'), 0),
              ('e2e-f2', $5, 'integrity', 'bribe', 'Asked for a tip to speed it up', strftime('%s'), 0);"

export CATI_USER=sonam TERM_OVERRIDE=vt100 TCOLS=160 TROWS=48   # ASCII: a column is 80 bytes
tstart mon "$CATI_BIN" monitor
twait mon "QUEUE" || finish
tkeys mon a
twait mon "RATES (AAPOR)" || finish
twait mon "FLAGS" || finish
screen=$(tscreen mon | sed -n '3,45p')
left=$(printf '%s\n' "$screen" | cut -c1-80 | sed 's/ *$//')
right=$(printf '%s\n' "$screen" | cut -c81-160 | sed 's/ *$//')
for p in queue interviewers rates scores flags; do
    TERM=vt100 expect_rc 0 cati monitor --once --panel $p --width 79
    title=$(printf '%s\n' "$OUT" | head -1)
    if printf '%s\n' "$left" | grep -qxF -- "$title"; then side=left; col=$left
    elif printf '%s\n' "$right" | grep -qxF -- "$title"; then side=right; col=$right
    else fail "$p: title '$title' in neither column"; continue; fi
    n=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        printf '%s\n' "$col" | grep -qxF -- "$line" || fail "$p: line '$line' not in its title's ($side) column"
        n=$((n+1))
    done <<< "$OUT"
    ok "$p: $n lines in the $side column"
done
expect_in "QUEUE" "$left" "the first panel in the left column"
expect_in "FLAGS" "$right" "the last panel in the right column"
tkeys mon q
twait mon "[exited 0]"
finish
