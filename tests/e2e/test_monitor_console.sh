# The monitor next to a console in another tmux window: the interviewer shows
# as logged in, then on the case; the complete, its five-parameter scores and
# the complaint (the respondent's words) show within a refresh.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
cat >> cati.ini <<INI
[monitor]
refresh_seconds = 1
INI
console_db
cati interviewer add sup --role supervisor >/dev/null

CATI_USER=sup tstart mon "'$CATI_BIN' monitor"
twait mon "cati monitor"
tkeys mon 2
twait mon "pema         never seen"
console a1 pema
twait a1 "Press Enter (or n) for the next case"
twait mon "pema         ready" 5                        # the console marks pema seen
tkeys a1 n
twait a1 "Case T-1"
twait mon "pema         on case     T-1" 5
tkeys a1 Enter
answer a1 reached 1 Enter
answer a1 received 1 Enter
answer a1 consent 1 Enter
answer a1 access 4 Enter
answer a1 access_req 4 Enter
answer a1 access_visits 2 Enter
answer a1 time_rate 4 Enter
answer a1 time_days 10 Enter
answer a1 time_std 1 Enter
answer a1 time_prompt 4 Enter
answer a1 att_rate 5 Enter
answer a1 att_courtesy 4 Enter
answer a1 att_prof 4 Enter
answer a1 att_empathy 4 Enter
answer a1 int_rate 4 Enter
answer a1 bribe 2 Enter
answer a1 fb_rate 3 Enter
answer a1 fb_know 1 Enter
answer a1 complain 1 Enter
answer a1 complaint "The counter closed early" Enter
answer a1 overall 4 Enter
answer a1 age 3 Enter
answer a1 gender 2 Enter
twait a1 "The interview has ended: complete."
tkeys a1 Enter
twait a1 "complete recorded (1.1), case closed"

# within a refresh: the interviewer's day, the queue, the scores, the flag
twait mon "pema         ready                                  1     1     1     0    4.00" 5
tkeys mon 1
twait mon "final                                       1"
twait mon "  1.1    complete interview                 1"
tkeys mon 4
twait mon "accessibility  access          4.00  ████████████ 100% 4-5   n 1"
twait mon "feedback       fb_rate         3.00                 0% 4-5   n 1"
twait mon "attitude       att_rate        5.00  ████████████ 100% 4-5   n 1"
twait mon "cid_new · Department of Civil Registration and Census"
tkeys mon 5
twait mon "FLAGS   1 new of 1"
twait mon '"The counter closed early"'
tkeys mon F
twait mon "marked forwarded"
expect_eq "forwarded|sup" "$(sql "SELECT status, handled_by FROM flags")" "flag forwarded"
tkeys a1 q; twait a1 "[exited 0]"
tkeys mon q; twait mon "[exited 0]"
finish
