# The console's interview keys: don't know and refused, a soft check
# confirmed, a language switch, back-navigation with a changed answer that
# re-routes; and a hard check that keeps the answer out.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

console a1 pema
twait a1 "Press Enter (or n) for the next case"
tkeys a1 n
twait a1 "Case T-1"
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
# back-navigation: access 1 asks access_why; changing it to 4 leaves it off the route
answer a1 access 1 Enter
answer a1 access_req 1 Enter
answer a1 access_visits 2 Enter
answer a1 access_why "hard to find the office" Enter
twait a1 "time_rate  ·"
tkeys a1 PPage; twait a1 "access_why  ·"
expect_in "hard to find the office" "$(tscreen a1)" "earlier text answer shown"
tkeys a1 PPage; twait a1 "access_visits  ·"
tkeys a1 PPage; twait a1 "access_req  ·"
tkeys a1 PPage; twait a1 "access  ·"
expect_in "Answer: 1" "$(tscreen a1)" "earlier answer shown"
tkeys a1 BSpace 4 Enter
answer a1 access_req BSpace 4 Enter
twait a1 "access_visits  ·"
expect_in "Answer: 2" "$(tscreen a1)" "kept answer shown"
tkeys a1 Enter
twait a1 "time_rate  ·"          # access_why is no longer on the route
iv=$(sql "SELECT id FROM interviews")
expect_eq "0" "$(sql "SELECT on_route FROM answers WHERE interview_id=$iv AND question='access_why'")" "access_why off route"
expect_eq "1" "$(sql "SELECT count(*) FROM answer_log WHERE interview_id=$iv AND question='access_why' AND event='off-route'")" "off-route logged"
expect_eq "4|4" "$(sql "SELECT group_concat(value, '|') FROM (SELECT value FROM answers WHERE interview_id=$iv AND question IN ('access','access_req') ORDER BY seq)")" "changed answers"

# language switch: F5 shows the Dzongkha text, the answer log records it
tkeys a1 F5
twait a1 "ཞབས་ཏོག་ཐོབ་ནི་ལུ་འགོར་མི་དུས་ཚོད་ལུ་"
expect_in "· dz ·" "$(tscreen a1)" "title language"
# don't know (F2) and refused (Ctrl-R, the fallback of F3)
tkeys a1 F2
twait a1 "time_days  ·"
tkeys a1 C-r
twait a1 "time_std  ·"
expect_eq "dk|" "$(sql "SELECT status || '|' || value FROM answers WHERE interview_id=$iv AND question='time_rate'")" "time_rate DK"
expect_eq "rf" "$(sql "SELECT status FROM answers WHERE interview_id=$iv AND question='time_days'")" "time_days RF"
expect_eq "dz" "$(sql "SELECT language FROM answer_log WHERE interview_id=$iv AND question='time_rate'")" "language logged"
tkeys a1 C-t                      # Ctrl-T: back to English
twait a1 "Was the service delivered within the published service standard"
# Esc 2 is F2 too
tkeys a1 Escape 2
twait a1 "time_prompt  ·"
expect_eq "dk" "$(sql "SELECT status FROM answers WHERE interview_id=$iv AND question='time_std'")" "Esc 2 = DK"

# DK is refused where the script says nodk (gender)
answer a1 time_prompt 3 Enter
answer a1 att_rate 3 Enter
answer a1 att_courtesy 3 Enter
answer a1 att_prof 3 Enter
answer a1 att_empathy 3 Enter
answer a1 int_rate 3 Enter
answer a1 bribe 2 Enter
answer a1 fb_rate 3 Enter
answer a1 fb_know 2 Enter
answer a1 complain 2 Enter
answer a1 overall 3 Enter
answer a1 age 2 Enter
answer a1 gender F2
twait a1 "don't know is not allowed on this question"
expect_eq "0" "$(sql "SELECT count(*) FROM answers WHERE interview_id=$iv AND question='gender'")" "no DK on gender"

# a soft check: access_visits above 10 warns; Enter again confirms
tkeys a1 PPage; twait a1 "age  ·"
for q in overall complain fb_know fb_rate bribe int_rate att_empathy att_prof att_courtesy att_rate time_prompt time_std time_days time_rate access_visits; do
    tkeys a1 PPage; twait a1 "$q  ·" || break
done
tkeys a1 C-u 12 Enter
twait a1 "12 visits is unusual"
expect_eq "2" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_visits'")" "not stored before confirming"
tkeys a1 Enter
twait a1 "time_rate  ·"
expect_eq "12" "$(sql "SELECT value FROM answers WHERE interview_id=$iv AND question='access_visits'")" "stored after confirming"
tkill a1

# a hard check: the answer is not accepted until it is changed
cat > checks.cati <<'CATI'
survey checks "Checks" version 1
question visits number 0 99
  text en "How many visits did {name} make?"
  check visits <= 20 "No office needs more than 20 visits: check the number."
question done single
  text en "Done?"
  choice 1 "Yes"
CATI
cati -d checks.db init >/dev/null
cati -d checks.db survey load checks.cati >/dev/null || fail "load checks"
printf 'ref,name,phone\nC-1,Dechen,17000001\n' > c.csv
cati -d checks.db sample import --survey checks c.csv >/dev/null || fail "import checks"
cati -d checks.db interviewer add pema >/dev/null
CATI_USER=pema tstart b1 "'$CATI_BIN' -d checks.db console"
twait b1 "Press Enter (or n)"
tkeys b1 n; twait b1 "Case C-1"; tkeys b1 Enter
answer b1 visits 30 Enter
twait b1 "No office needs more than 20 visits"
expect_eq "0" "$(sqlite3 checks.db "SELECT count(*) FROM answers")" "hard check: nothing stored"
tkeys b1 Enter                      # Enter again does not force it
twait b1 "No office needs more than 20 visits"
expect_in "visits  ·" "$(tscreen b1)" "still on the question"
tkeys b1 BSpace BSpace 3 Enter
twait b1 "done  ·"
expect_eq "visits=3" "$(sqlite3 checks.db "SELECT question || '=' || value FROM answers")" "hard check: fixed answer stored"
finish
