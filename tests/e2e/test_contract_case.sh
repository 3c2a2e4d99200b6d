# Contract (DESIGN "Commands", "Calls and scheduling"): case next / outcome for
# every outcome keyword with its AAPOR code in `case show`, WHEN formats,
# release, priority, appoint, and exit 3 with the reason on stderr.
. "$(dirname "$0")/lib.sh"
setup_db
export CATI_NOW="2026-11-24 10:00"   # a Tuesday, inside the default calling hours
cat > s.cati <<'CATI'
survey s "Case test" version 1
languages en
question q1 single
  text en "Hello {name}"
  choice 1 "Yes"
  choice 2 "No"
CATI
cati survey load s.cati >/dev/null || fail "survey load"
cati interviewer add pema --lang en >/dev/null || fail "add pema"
cati interviewer add karma --lang en >/dev/null || fail "add karma"
cati interviewer add sonam --role supervisor >/dev/null || fail "add sonam"

# outcome keyword -> AAPOR codes acceptable under shared/reference/standards.md
outcomes='complete 1.1
partial 1.2
breakoff 2.12
refusal 2.11*
soft-refusal 2.11*
appointment 2.*
no-answer 3.13
busy 3.12
answering-machine 3.14|2.22*
message-left 2.221|3.14
not-available 2.21*
language 2.33*
deceased 2.31
unable 2.32
disconnected 4.32
non-working 4.31
fax 4.20
business 4.51
wrong-number 4.*
ineligible 4.70|4.10
technical 3.16'
{
    echo "ref,name,phone"
    i=0
    while read -r o _; do i=$((i+1)); printf 'R%02d,Resp %d,170000%02d\n' "$i" "$i" "$i"; done <<< "$outcomes"
    echo "Z1,Last,17000099"
} > s.csv
cati sample import --survey s s.csv >/dev/null || fail "sample import"

# the interviewer's way: claim, then record
CATI_USER=pema expect_rc 0 cati case next && id=$OUT
case "$id" in ''|*[!0-9]*) fail "case next printed '$id', not an ID";; esac
CATI_USER=pema expect_rc 0 cati case next && expect_eq "$id" "$OUT" "a held case is offered again to its holder"
CATI_USER=karma expect_rc 0 cati case next && [ "$OUT" != "$id" ] || fail "two interviewers got the same case"
k_id=$OUT
CATI_USER=karma expect_rc 1 cati case outcome "$id" busy && expect_in "cati: " "$ERR"   # not karma's
CATI_USER=sonam expect_rc 0 cati case release "$k_id" || true

# every keyword, recorded through the dialer path (a supervisor, any open case)
i=0
while read -r o codes; do
    i=$((i+1))
    cid=$(sql "SELECT id FROM cases WHERE ref='$(printf 'R%02d' $i)'")
    if [ "$o" = appointment ]; then
        CATI_USER=sonam expect_rc 0 cati case outcome "$cid" "$o" --at "+90" --note "note $o" || continue
    elif [ "$cid" = "$id" ] && [ "$o" = complete ]; then
        # 'complete' needs an interview that reached its end: not the
        # interviewer's without one; a supervisor's, with a note, is audited
        CATI_USER=pema expect_rc 1 cati case outcome "$cid" "$o" --note "note $o" &&
            expect_in "no completed interview" "$ERR"
        CATI_USER=sonam expect_rc 0 cati case outcome "$cid" "$o" --note "note $o" || continue
    elif [ "$cid" = "$id" ]; then
        CATI_USER=pema expect_rc 0 cati case outcome "$cid" "$o" --note "note $o" || continue
    else
        CATI_USER=sonam expect_rc 0 cati case outcome "$cid" "$o" --note "note $o" || continue
    fi
    CATI_USER=sonam expect_rc 0 cati case show "$cid" || continue
    line=$(printf '%s\n' "$OUT" | grep -F -- "note $o" | head -1)
    [ -n "$line" ] || { fail "case show $cid lists no call with the note 'note $o': $OUT"; continue; }
    expect_in " $o " "$line" "case show: the call '$o'"
    hit=0
    for word in $line; do
        IFS='|' read -ra alts <<< "$codes"
        for a in "${alts[@]}"; do
            # shellcheck disable=SC2254
            case "$word" in $a) hit=1;; esac
        done
    done
    [ $hit = 1 ] || fail "outcome $o: no AAPOR code matching '$codes' in: $line"
done <<< "$outcomes"
CATI_USER=sonam expect_rc 2 cati case outcome "$(sql "SELECT id FROM cases WHERE ref='Z1'")" answered && true
expect_rc 2 cati case outcome 1 && true
# a final case takes no more outcomes
expect_rc 1 cati case outcome "$(sql "SELECT id FROM cases WHERE ref='R01'")" busy && expect_in "cati: " "$ERR"

# --- WHEN: YYYY-MM-DD HH:MM in the calling time zone, or +N minutes ----------
z=$(sql "SELECT id FROM cases WHERE ref='Z1'")
expect_rc 0 cati case appoint "$z" "2026-11-24 15:30" || true
expect_rc 0 cati case show "$z" && expect_in "2026-11-24 15:30" "$OUT" "absolute WHEN shown"
expect_rc 0 cati case appoint "$z" "+45" || true
expect_rc 0 cati case show "$z" && expect_in "2026-11-24 10:45" "$OUT" "+45 from 10:00"
expect_rc 2 cati case appoint "$z" "tomorrow" && expect_in "cati: " "$ERR"
expect_rc 2 cati case appoint "$z" "2026-11-31 10:00" && true
expect_rc 2 cati case appoint "$z" "2026-11-24 25:00" && true
expect_rc 2 cati case appoint "$z" "+" && true
expect_rc 2 cati case appoint "$z" && true
expect_rc 2 cati case appoint x "+5" && true
CATI_USER=pema expect_rc 1 cati case appoint "$z" "+5" && expect_in "denied" "$ERR"
# the appointment is not due before its time, and is due at it
CATI_USER=karma expect_rc 3 cati case next && [ -n "$ERR" ] || fail "no reason for exit 3"
CATI_NOW="2026-11-24 10:46" CATI_USER=karma expect_rc 0 cati case next && expect_eq "$z" "$OUT" "appointment due"
CATI_USER=karma expect_rc 0 cati case outcome "$z" appointment --at "2026-11-25 09:30" || true
expect_rc 0 cati case show "$z" && expect_in "2026-11-25 09:30" "$OUT" "appointment --at absolute"

# --- release and priority ------------------------------------------------------------
rm -f cati.db*; setup_db
cati survey load s.cati >/dev/null
cati interviewer add pema --lang en >/dev/null
cati interviewer add karma --lang en >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
printf 'ref,name,phone\nP1,One,17000001\nP2,Two,17000002\nP3,Three,17000003\n' > p.csv
cati sample import --survey s p.csv >/dev/null || fail "import"
p3=$(sql "SELECT id FROM cases WHERE ref='P3'")
CATI_USER=sonam expect_rc 0 cati case priority "$p3" 9 || true
CATI_USER=sonam expect_rc 2 cati case priority "$p3" high && true
CATI_USER=sonam expect_rc 2 cati case priority "$p3" && true
CATI_USER=pema expect_rc 1 cati case priority "$p3" 1 && expect_in "denied" "$ERR"
CATI_USER=pema expect_rc 0 cati case next && expect_eq "$p3" "$OUT" "higher priority first"
CATI_USER=pema expect_rc 1 cati case release "$p3" && expect_in "denied" "$ERR"
CATI_USER=sonam expect_rc 0 cati case release "$p3" || true
CATI_USER=karma expect_rc 0 cati case next && expect_eq "$p3" "$OUT" "a released case is free for others"

# --- exit 3: the reason on stderr, nothing on stdout ---------------------------------------
rm -f cati.db*; setup_db
cati survey load s.cati >/dev/null
cati interviewer add pema --lang en >/dev/null
cati interviewer add karma --lang en >/dev/null
printf 'ref,name,phone\nQ1,One,17000001\n' > q.csv
cati sample import --survey s q.csv >/dev/null
CATI_NOW="2026-11-24 20:00" CATI_USER=pema expect_rc 3 cati case next &&
    expect_eq "" "$OUT" "stdout on exit 3" && expect_in "calling hours" "$ERR" "outside hours reason"
CATI_NOW="2026-11-29 10:00" CATI_USER=pema expect_rc 3 cati case next && expect_in "cati: " "$ERR"   # a Sunday
CATI_USER=pema expect_rc 0 cati case next || true
CATI_USER=karma expect_rc 3 cati case next && expect_in "cati: " "$ERR" && [ -n "${ERR#cati: }" ] || fail "locked: no reason"
CATI_USER=pema expect_rc 0 cati case outcome "$(sql "SELECT id FROM cases WHERE ref='Q1'")" no-answer || true
CATI_USER=karma expect_rc 3 cati case next && expect_in "cati: " "$ERR"
expect_eq 1 "$(printf '%s\n' "$ERR" | grep -c .)" "exit 3: one line"
# the lease: a console that died gives the case back when its lease ends (20 minutes)
printf 'ref,name,phone\nL1,Lease,17000005\n' > l.csv
cati sample import --survey s l.csv >/dev/null
l1=$(sql "SELECT id FROM cases WHERE ref='L1'")
CATI_USER=pema expect_rc 0 cati case next && expect_eq "$l1" "$OUT" "lease: claimed"
CATI_NOW="2026-11-24 10:05" CATI_USER=karma expect_rc 3 cati case next && true
CATI_NOW="2026-11-24 10:25" CATI_USER=karma expect_rc 0 cati case next && expect_eq "$l1" "$OUT" "lease expired"

# --- quota full ----------------------------------------------------------------------------
rm -f cati.db*
cat >> cati.ini <<'INI'
[quota]
service.cid_new = 1
INI
setup_db
cati survey load s.cati >/dev/null
cati interviewer add pema --lang en >/dev/null
cati interviewer add sonam --role supervisor >/dev/null
printf 'ref,name,phone,service\nC1,One,17000001,cid_new\nC2,Two,17000002,cid_new\n' > c.csv
cati sample import --survey s c.csv >/dev/null
CATI_USER=pema expect_rc 0 cati case next && c=$OUT
CATI_USER=sonam expect_rc 0 cati case outcome "$c" complete --note "on paper" || true
CATI_USER=pema expect_rc 3 cati case next && expect_in "quota" "$ERR" "quota reason"
finish
