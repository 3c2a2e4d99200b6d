# cati monitor at 80x24: a case opens by its ref (CT-2026-000002) at the
# "open" prompt, not only by its number; an unknown ref says so; a final case
# opens read-only: the view says FINAL, read-only and x, p, b refuse with the
# reason (nothing changes in the database).
. "$(dirname "$0")/lib.sh"
export CATI_NOW="2026-11-02 10:00"
monitor_db
id2=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000002'")
id3=$(sql "SELECT id FROM cases WHERE ref = 'CT-2026-000003'")
CATI_USER=sonam expect_rc 0 cati case outcome "$id3" complete --note "phoned in"
export CATI_USER=sonam TCOLS=80 TROWS=24
tstart mon "$CATI_BIN" monitor
twait mon "cati monitor" || finish
twait mon "QUEUE"
# by ref
tkeys mon o; twait mon "open which case? ref or case ID:" || finish
tkeys mon C-u CT-2026-000002 Enter
twait mon "CASE $id2   serve/CT-2026-000002" || finish
tkeys mon Escape; twait mon "QUEUE"
# an unknown ref
tkeys mon o; twait mon "open which case?"; tkeys mon C-u CT-2026-999999 Enter
twait mon "unknown case 'CT-2026-999999'"
# a final case: read-only
tkeys mon o; twait mon "open which case?"; tkeys mon C-u CT-2026-000003 Enter
twait mon "CASE $id3   serve/CT-2026-000003" || finish
twait mon "FINAL, read-only"
twait mon "case CT-2026-000003 is final (1.1 complete interview): read-only"
expect_not_in "x Release" "$(tscreen mon | sed -n 24p)" "final case key bar"
prio=$(sql "SELECT priority FROM cases WHERE id = $id3")
tkeys mon r; twait mon "refreshed"
tkeys mon p
twait mon "case CT-2026-000003 is final (1.1 complete interview): read-only"
expect_not_in "priority of case" "$(tscreen mon)" "no priority prompt on a final case"
tkeys mon r; twait mon "refreshed"
tkeys mon b
twait mon "case CT-2026-000003 is final (1.1 complete interview): read-only"
expect_not_in "appointment for case" "$(tscreen mon)" "no appointment prompt on a final case"
tkeys mon Escape; twait mon "QUEUE"
# from the panel, by ref: p on a final case refuses too
tkeys mon p; twait mon "change the priority of which case?"; tkeys mon C-u CT-2026-000003 Enter
twait mon "case CT-2026-000003 is final (1.1 complete interview): read-only"
expect_eq "$prio" "$(sql "SELECT priority FROM cases WHERE id = $id3")" "final case's priority unchanged"
# and an open case's priority by ref
tkeys mon p; twait mon "change the priority of which case?"; tkeys mon C-u CT-2026-000002 Enter
twait mon "priority of case $id2"; tkeys mon 5 Enter
twait mon "case $id2: priority 5"
expect_eq 5 "$(sql "SELECT priority FROM cases WHERE id = $id2")" "priority set by ref"
tkeys mon q
twait mon "[exited 0]"
finish
