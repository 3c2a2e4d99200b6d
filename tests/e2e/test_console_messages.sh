# Issue 12: no message is cut at 80 columns — it wraps onto as many lines as
# it needs; times read as times ("next try today 13:00"), and the outcome
# confirmation says what follows in plain words, never a configuration key.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
# the questionnaire, its soft check's message followed by Dzongkha words
mkdir dzdata
sed 's|with the respondent\."|with the respondent. ལན་འདི་ ཞུ་མི་ལུ་ ངེས་གཏན་བཟོ།"|' "$DATA/serve.cati" > dzdata/serve.cati
grep -q "ངེས་གཏན་བཟོ།" dzdata/serve.cati || fail "test questionnaire"
DATA=$WORK/dzdata console_db

# a soft check's message, longer than a line, is shown whole
console a1 pema
twait a1 "Press Enter (or n)"
tkeys a1 n; twait a1 "Case T-1"
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 3 Enter
answer a1 access_req 3 Enter
answer a1 access_visits 15 Enter
twait a1 "please confirm the number with the respondent."
twait a1 "or change the answer)"                 # its end, on another line
scr=$(tscreen a1)
expect_in "15 visits is unusual" "$scr" "the start of the message"
for w in "ལན་འདི་" "ཞུ་མི་ལུ་" "ངེས་གཏན་བཟོ།"; do expect_in "$w" "$scr" "Dzongkha words whole"; done
tkeys a1 C-x; twait a1 "Stop the interview"
tkeys a1 Escape; twait_gone a1 "Stop the interview"
tkill a1

# the outcome confirmation: what follows, in plain words
console a2 karma
twait a2 "Press Enter (or n)"
tkeys a2 n; twait a2 "Case T-"
tkeys a2 o; twait a2 "Outcome of the call"
tkeys a2 2; twait a2 "Record the call"
scr=$(tscreen a2)
expect_in "then: call again in about 3 hours" "$scr" "plain-words next step"
expect_not_in "[retry]" "$scr" "no configuration key"
expect_not_in "no_answer" "$scr" "no configuration key"
tkeys a2 Enter
twait a2 "no-answer recorded (3.13), next try today 1"
scr=$(tscreen a2)
echo "$scr" | grep -qE "next try today [0-9]{2}:[0-9]{2}, [a-z]+ slot\." || fail "next try as a time: $scr"
tkeys a2 q; twait a2 "[exited 0]"

# late in the day: a long message (a long ref) wraps, the next try is a day and time
printf 'ref,name,phone\nCT-2026-000002,Dorji Wangmo,17999888\n' > late.csv
cati sample import --survey serve late.csv >/dev/null || fail "import"
sql "UPDATE cases SET state='final' WHERE ref LIKE 'T-%'"
CATI_NOW="2026-11-24 17:50" console a3 sonam
twait a3 "Press Enter (or n)"
tkeys a3 n; twait a3 "Case CT-2026-000002"
tkeys a3 o; twait a3 "Outcome of the call"
tkeys a3 2; twait a3 "Record the call"
tkeys a3 Enter
twait a3 "recorded (3.13), next try"
scr=$(tscreen a3)
# wrapped over two lines, whole: joined, it ends with the day, time and slot
echo "$scr" | grep -qE "^  Case CT-2026-000002: no-answer recorded" || fail "the message starts a line: $scr"
echo "$scr" | sed 's/^ *//; s/ *$//' | tr '\n' ' ' \
    | grep -qE "next try (tomorrow|[A-Z][a-z]{2} 2026-[0-9]{2}-[0-9]{2}) [0-9]{2}:[0-9]{2}, [a-z]+ slot\. " \
    || fail "next try whole, as a day, a time and a slot: $scr"
tkeys a3 q; twait a3 "[exited 0]"
finish
