# Issue 11, section 1: lease_minutes = 1; the interviewer idles past the
# lease and another interviewer claims the case. The console's next key
# shows the lost screen ("karma holds it since"), the answer it carried is
# not stored, Enter goes back to the idle screen. And a lease that ran out
# with nobody else on the case says so. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
cat >> cati.ini <<INI
[calling]
lease_minutes = 1
INI
cat > one.csv <<'CSV'
ref,name,phone,language
L-1,Leki Yangden,17819192,en
CSV
console_db one.csv
epoch() { date -d "TZ=\"Asia/Thimphu\" $1" +%s; }
answers_of() { sql "SELECT group_concat(question || '=' || value, ' ') FROM (SELECT a.question, a.value FROM answers a JOIN interviews v ON v.id = a.interview_id JOIN cases c ON c.id = v.case_id WHERE c.ref = '$1' ORDER BY a.seq)"; }

console a1 pema                                 # the console's clock: 10:00
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case L-1"
tkeys a1 Enter
answer a1 reached 1 Enter
twait a1 "received  ·"
expect_eq "$(epoch "2026-11-24 10:01")" "$(sql "SELECT lease_until FROM cases WHERE ref = 'L-1'")" "a one-minute lease"
# at 10:02 pema's lease has run out: karma is given the case
CATI_USER=karma CATI_NOW="2026-11-24 10:02" expect_rc 0 cati case next
expect_eq "$(sql "SELECT id FROM cases WHERE ref = 'L-1'")" "$OUT" "karma claims the case"
tkeys a1 1 Enter                                # pema answers 'received'
twait a1 "Case L-1 is no longer yours"
twait a1 "Case L-1 is not claimed by you: karma holds it since 10:02."
twait a1 "Your answers up to 'reached' were saved; the last one was not."
expect_in "Enter Back to the idle screen" "$(tscreen a1 | sed -n 24p)" "lost screen keys"
expect_eq "reached=1" "$(answers_of L-1)" "the late answer is not stored"
expect_eq "0" "$(sql "SELECT count(*) FROM answer_log WHERE question = 'received'")" "nor logged"
expect_eq "karma" "$(sql "SELECT i.login FROM cases c JOIN interviewers i ON i.id = c.claimed_by WHERE c.ref = 'L-1'")" "karma still holds it"
expect_eq "0" "$(sql "SELECT count(*) FROM calls")" "no call for pema"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"

# a lease that ran out with nobody else on the case: the clock is pinned, so
# its passing is played by moving the lease back two minutes
printf 'ref,name,phone,language\nL-2,Pema Wangdi,17207173,en\n' > two.csv
cati sample import --survey serve two.csv >/dev/null || fail "sample import"
tkeys a1 n
twait a1 "Case L-2"
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1
twait a1 "Answer: 1"
sql "UPDATE cases SET lease_until = $(epoch "2026-11-24 09:59") WHERE ref = 'L-2'"
tkeys a1 Enter
twait a1 "Case L-2 is no longer yours"
twait a1 "Your hold on case L-2 ran out at 09:59 (no key for 1 minute)."
twait a1 "Your answers up to 'reached' were saved; the last one was not."
expect_eq "reached=1" "$(answers_of L-2)" "the answer after the lease ran out is not stored"
tkeys a1 Enter
twait a1 "Press Enter (or n) for the next case"
CATI_USER=sonam CATI_NOW="2026-11-24 10:02" expect_rc 0 cati case next
expect_eq "$(sql "SELECT id FROM cases WHERE ref = 'L-2'")" "$OUT" "the case is free for sonam"
tkeys a1 q
twait a1 "[exited 0]"
finish
