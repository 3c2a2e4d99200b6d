# Issue 12: the idle screen lists today's appointments held for the
# interviewer — time and respondent (name, ref) — not only a count; another
# interviewer's appointments and tomorrow's are not in the list.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db                                   # Tuesday 2026-11-24 10:00

book() { # book LOGIN WHEN: LOGIN takes the next case and books it at WHEN
    CATI_USER=$1 expect_rc 0 cati case next || return
    local id=$OUT
    CATI_USER=$1 expect_rc 0 cati case outcome "$id" appointment --at "$2" || return
    sql "SELECT ref FROM cases WHERE id=$id"
}
first=$(book pema "2026-11-24 15:30")
second=$(book pema "2026-11-24 11:15")
third=$(book karma "2026-11-24 12:00")
name() { sql "SELECT name FROM cases WHERE ref='$1'"; }

console a1 pema
twait a1 "Press Enter (or n)"
twait a1 "Appointments today      2"
twait a1 "11:15  $second  $(name "$second")"
twait a1 "15:30  $first  $(name "$first")"
scr=$(tscreen a1)
expect_not_in "$third" "$scr" "karma's appointment is not pema's"
# earliest first
l1=$(echo "$scr" | grep -n "11:15  $second" | cut -d: -f1)
l2=$(echo "$scr" | grep -n "15:30  $first" | cut -d: -f1)
[ "$l1" -lt "$l2" ] || fail "appointments in time order: $scr"
tkeys a1 q; twait a1 "[exited 0]"

# the next day: nothing held for today
CATI_NOW="2026-11-25 09:00" console b1 pema
twait b1 "Appointments today      0"
expect_not_in "15:30  $first" "$(tscreen b1)" "yesterday's appointment is not today's"
tkeys b1 q; twait b1 "[exited 0]"
finish
