# Issue 12: "why nothing is offered" names the reason that binds. An
# English-only interviewer whose one English case falls due at 10:15, while
# a Dzongkha case is due now, is told "no case due until 10:15" (by `cati
# case next` and on the console's idle screen at 80x24), not "no due case in
# your languages".
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
setup_db
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
cat > s.csv <<'CSV'
ref,name,phone,language,service,agency,availed_on
W-1,Dawa Dema,17000001,dz,cid_new,DCRC,2026-10-01
W-2,Leki Yangden,17000002,en,cid_new,DCRC,2026-10-01
CSV
cati sample import --survey serve s.csv >/dev/null || fail "sample import"
cati interviewer add tashi --lang en >/dev/null || fail "add tashi"
cati interviewer add dorji --lang dz >/dev/null || fail "add dorji"
w2=$(sql "SELECT id FROM cases WHERE ref = 'W-2'")
# W-2 was called at 09:00 and is due again at 10:15
sql "UPDATE cases SET state = 'open', attempts = 1, last_call_at = next_call_at,
     next_call_at = CAST(strftime('%s', '2026-11-24 04:15') AS INTEGER) WHERE id = $w2"
CATI_USER=tashi expect_rc 3 cati case next
expect_eq "cati: no case due until 10:15" "$ERR" "the reason that binds for tashi"
# the Dzongkha case is there for a Dzongkha speaker
CATI_USER=dorji expect_rc 0 cati case next && expect_eq "$(sql "SELECT id FROM cases WHERE ref = 'W-1'")" "$OUT"
console c tashi
twait c "Press Enter (or n)"
tkeys c Enter
twait c "no case due until 10:15"
expect_not_in "in your languages" "$(tscreen c)" "the idle screen's reason"
tkeys c Escape q
twait c "[exited 0]"
finish
