# Contract (DESIGN "Calls and scheduling", standards.md §2): report rates,
# scores and interviewers in text and CSV; RR1 and COOP1 hand-computed.
. "$(dirname "$0")/lib.sh"
setup_db
export CATI_NOW="2026-11-24 10:00"
cat > s.cati <<'CATI'
survey s "Rates" version 1
languages en
parameters accessibility
question q1 scale 1 5
  measures accessibility
  text en "Rate it"
CATI
cati survey load s.cati >/dev/null || fail "survey load"
cati interviewer add sonam --role supervisor >/dev/null
cati interviewer add pema >/dev/null
# 11 cases: I=3, P=1, R=2 (refusal, breakoff), O=1 (deceased), NC=1 (not available),
# UH=2 (no answer, not attempted), NE=1 (fax)
O="complete complete complete partial refusal breakoff deceased not-available no-answer fax"
{ echo "ref,name,phone"; i=0; for o in $O x; do i=$((i+1)); printf 'R%02d,N %d,170000%02d\n' $i $i $i; done; } > s.csv
cati sample import --survey s s.csv >/dev/null || fail "import"
# recorded by the admin (a supervisor's right): a complete without an
# interview of cati's needs a note saying why
i=0; for o in $O; do i=$((i+1)); cati case outcome "$i" "$o" --note "rates by hand" >/dev/null || fail "outcome $o"; done

rate() { printf '%s\n' "$OUT" | awk -v k="$1" '$1 == k { print $2; exit }'; }
near() { # near WANT GOT what : equal to 3 decimals
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b != "" && d < 0.0006) }' ||
        fail "$3: expected about $1, got '$2'"
}
CATI_USER=sonam expect_rc 0 cati report rates || true
for k in RR1 RR2 RR3 RR4 RR5 RR6 COOP1 COOP2 COOP3 COOP4 REF1 REF2 REF3 CON1 CON2 CON3; do
    printf '%s\n' "$OUT" | grep -q "^$k\b" || fail "report rates lacks $k"
done
# RR1 = I / ((I+P)+(R+NC+O)+(UH+UO)) = 3 / 10; COOP1 = I / ((I+P)+R+O) = 3 / 7
near 0.3 "$(rate RR1)" "RR1"
near 0.428571 "$(rate COOP1)" "COOP1"
near 0.4 "$(rate RR2)" "RR2"
near 0.375 "$(rate RR5)" "RR5"
near 0.5 "$(rate RR6)" "RR6"
near 0.5 "$(rate COOP3)" "COOP3"
near 0.2 "$(rate REF1)" "REF1"
near 0.25 "$(rate REF3)" "REF3"
near 0.7 "$(rate CON1)" "CON1"
near 0.875 "$(rate CON3)" "CON3"
# e = eligible share of known eligibility = 8/9: RR3 = 3 / (8 + 2*8/9)
near 0.306818 "$(rate RR3)" "RR3 with the estimated e"
CATI_USER=sonam expect_rc 0 cati report rates --survey s --format csv || true
csv=$OUT
[ "$(printf '%s' "$csv" | grep -c $'\r$')" -ge 17 ] || fail "report csv: not CRLF"
for k in RR1 RR2 RR3 RR4 RR5 RR6 COOP1 COOP2 COOP3 COOP4 REF1 REF2 REF3 CON1 CON2 CON3; do
    printf '%s\n' "$csv" | grep -q ",$k," || fail "report csv lacks $k"
done
v=$(printf '%s\n' "$csv" | tr -d '\r' | awk -F, '$0 ~ /,RR1,/ { print $NF }'); near 0.3 "$v" "csv RR1"
v=$(printf '%s\n' "$csv" | tr -d '\r' | awk -F, '$0 ~ /,COOP1,/ { print $NF }'); near 0.428571 "$v" "csv COOP1"
expect_rc 2 cati report rates --survey nosuch && expect_in "cati: " "$ERR"
expect_rc 2 cati report rates --format json && true
for r in scores interviewers; do
    CATI_USER=sonam expect_rc 0 cati report $r || true
    CATI_USER=sonam expect_rc 0 cati report $r --format csv || true
    [ -z "$OUT" ] || [ "$(printf '%s' "$OUT" | head -1 | grep -c $'\r$')" = 1 ] || fail "report $r csv: not CRLF"
    CATI_USER=sonam expect_rc 0 cati report $r --survey s --format text || true
done
CATI_USER=sonam expect_rc 0 cati report interviewers --format csv && expect_in "admin" "$OUT" "interviewers report"

# an empty survey: rates with a zero denominator are undefined, never 0 or NaN
rm -f cati.db*; setup_db
cati survey load s.cati >/dev/null
expect_rc 0 cati report rates || true
expect_not_in "nan" "$(printf '%s' "$OUT" | tr 'A-Z' 'a-z')" "empty survey rates"
line=$(printf '%s\n' "$OUT" | grep "^RR1")
expect_not_in "0.0" "$line" "RR1 of an empty survey"
finish
