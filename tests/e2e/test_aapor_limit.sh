# Issue 11 §4 (standards.md §1): a case whose call limit runs out keeps the
# most specific code its calls established, recorded through `cati case
# outcome` the way a dialer does. Before the fix a respondent confirmed but
# never available ended 2.30 and an answering machine every time 3.90.
. "$(dirname "$0")/lib.sh"
setup_db
printf '[calling]\nmax_attempts = 3\n' >> cati.ini
export CATI_NOW="2026-11-24 10:00"   # a Tuesday, inside the default calling hours
cat > s.cati <<'CATI'
survey s "Limit test" version 1
languages en
question q1 single
  text en "Hello {name}"
  choice 1 "Yes"
  choice 2 "No"
CATI
cati survey load s.cati >/dev/null || fail "survey load"
cati interviewer add sonam --role supervisor >/dev/null || fail "add sonam"

# ref: the three calls, and the final code they must leave
cases='NA not-available no-answer no-answer 2.21
AM answering-machine answering-machine message-left 3.14
BU busy busy busy 3.12
TE technical no-answer technical 3.16
NO no-answer busy no-answer 3.13
CM not-available answering-machine answering-machine 2.222
CL not-available message-left answering-machine 2.221
RF soft-refusal no-answer no-answer 2.11'
{
    echo "ref,name,phone"
    i=0
    while read -r ref _; do i=$((i+1)); printf '%s,Resp %d,170000%02d\n' "$ref" "$i" "$i"; done <<< "$cases"
} > s.csv
cati sample import --survey s s.csv >/dev/null || fail "sample import"

while read -r ref a b c want; do
    cid=$(sql "SELECT id FROM cases WHERE ref='$ref'")
    for o in "$a" "$b" "$c"; do
        CATI_USER=sonam expect_rc 0 cati case outcome "$cid" "$o" || continue 2
    done
    expect_in "final $want" "$OUT" "$ref: the third call's output"
    expect_eq "final $want" "$(sql "SELECT state || ' ' || disposition FROM cases WHERE id = $cid")" \
        "$ref ($a, $b, $c) at the call limit"
    CATI_USER=sonam expect_rc 0 cati case show "$cid" && expect_in "disposition: $want " "$OUT" "$ref: case show"
done <<< "$cases"

# nobody who was never contacted is counted as contacted: no O (2.30) code
expect_eq "0" "$(sql "SELECT count(*) FROM cases WHERE disposition = '2.30' OR disposition = '3.90'")" \
    "cases coded 2.30 or 3.90"

[ $fails -eq 0 ] && echo "all ok"
exit $fails
