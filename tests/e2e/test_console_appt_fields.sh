# Issue 12: the appointment picker never books a time other than the one on
# screen. Each field is checked as it is left (a bad value keeps the dialog
# open with the reason); 20261224 is read as 2026-12-24; the confirmation
# names the full weekday, date and time that will be booked.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
printf 'ref,name,phone\nA-1,Sonam Dema,17111222\n' > one.csv
console_db one.csv

console a1 pema                              # Tuesday 2026-11-24 10:00
twait a1 "Press Enter (or n)"
tkeys a1 n; twait a1 "Case A-1"
tkeys a1 o; twait a1 "Outcome of the call"
tkeys a1 6; twait a1 "Appointment"
twait a1 "2026-11-24"
# the reproduction: a date typed without dashes, Tab, a time, Enter
tkeys a1 20261224 Tab
twait a1 "2026-12-24"                        # the date as read, shown as it is left
tkeys a1 0930
twait a1 "Thursday 2026-12-24 09:30"         # what Enter will book, in words
tkeys a1 Enter
twait a1 "appointment 2026-12-24 09:30"
at=$(sql "SELECT appointment_at FROM cases WHERE ref='A-1'")
expect_eq "$(TZ=Asia/Thimphu date -d '2026-12-24 09:30' +%s)" "$at" "the date typed is the date booked"
tkeys a1 q; twait a1 "[exited 0]"

# a bad date keeps the dialog open with the reason, on leaving the field
printf 'ref,name,phone\nB-1,Karma Dorji,17111333\n' > two.csv
cati sample import --survey serve two.csv >/dev/null || fail "import"
console b1 pema
twait b1 "Press Enter (or n)"
tkeys b1 n; twait b1 "Case B-1"
tkeys b1 o; twait b1 "Outcome of the call"
tkeys b1 6; twait b1 "Appointment"
twait b1 "2026-11-24"
tkeys b1 20261399 Tab
twait b1 "no such date: 20261399 (type YYYY-MM-DD, e.g. 2026-12-24)"
expect_in "20261399" "$(tscreen b1)" "the bad value stays in the field"
tkeys b1 Enter                               # Enter does not book around it
twait b1 "no such date"
expect_in "Appointment" "$(tscreen b1)" "dialog stays open"
expect_eq "" "$(sql "SELECT coalesce(appointment_at,'') FROM cases WHERE ref='B-1'")" "nothing booked"
# a short date is refused, never taken as today's
tkeys b1 BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace 202612 Tab
twait b1 "no such date: 202612"
# a bad time: the reason, dialog open
tkeys b1 BSpace BSpace BSpace BSpace BSpace BSpace 2026-12-01 Tab
twait b1 "Tuesday 2026-12-01"
tkeys b1 2575 Tab
twait b1 "no such time: 2575 (type HH:MM, e.g. 09:30)"
tkeys b1 Enter; twait b1 "no such time"
expect_eq "" "$(sql "SELECT coalesce(appointment_at,'') FROM cases WHERE ref='B-1'")" "nothing booked"
tkeys b1 BTab BSpace BSpace BSpace BSpace 1415 Enter
twait b1 "appointment 2026-12-01 14:15"
expect_eq "$(TZ=Asia/Thimphu date -d '2026-12-01 14:15' +%s)" "$(sql "SELECT appointment_at FROM cases WHERE ref='B-1'")" "booked as shown"
tkeys b1 q; twait b1 "[exited 0]"
finish
