# Issue 12: a missed appointment is shown as missed as soon as it is missed
# — [appointments] missed_minutes (default 60) after its time with no call —
# not only after another claim ran. One rule (schedule_appointment_missed)
# read by the console's idle screen, `cati case show` and the monitor; no
# console claims anything in this test before the checks. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
console_db                                   # Tuesday 2026-11-24 10:00

CATI_USER=pema expect_rc 0 cati case next
id=$OUT
CATI_USER=pema expect_rc 0 cati case outcome "$id" appointment --at "2026-11-24 10:30"
ref=$(sql "SELECT ref FROM cases WHERE id=$id")
name=$(sql "SELECT name FROM cases WHERE id=$id")
flag() { sql "SELECT appointment_missed FROM cases WHERE id=$id"; }

# 11:15: due, not missed yet (45 minutes late)
CATI_NOW="2026-11-24 11:15" expect_rc 0 cati case show "$id"
expect_in "appointment: " "$OUT" "case show lists the appointment"
expect_not_in "appointment missed" "$OUT" "not missed within the grace"
CATI_NOW="2026-11-24 11:15" console a1 pema
twait a1 "Press Enter (or n)"
twait a1 "10:30  $ref  $name  (due)"
tkeys a1 q; twait a1 "[exited 0]"

# 11:31: missed, though no claim has run since
CATI_NOW="2026-11-24 11:31" console a2 pema
twait a2 "Press Enter (or n)"
twait a2 "10:30  $ref  $name  (missed)"
tkeys a2 q; twait a2 "[exited 0]"
CATI_NOW="2026-11-24 11:31" expect_rc 0 cati case show "$id"
expect_in "appointment missed" "$OUT" "case show says missed at once"
CATI_NOW="2026-11-24 11:31" expect_rc 0 cati monitor --once --panel queue
echo "$OUT" | grep -E "^ *missed +1( |$)" >/dev/null || fail "the monitor's queue counts it missed: $OUT"
expect_eq 0 "$(flag)" "nothing claimed: read as missed without the claim's flag"
finish
