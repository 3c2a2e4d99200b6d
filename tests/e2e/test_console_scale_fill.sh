# Issue 12: fills of scale questions use the scale point's label where the
# script defines one (cati-script(5)): after answering 1 ("Very difficult")
# the next question reads "You said Very difficult", not "You said 1"; an
# unlabelled point reads as its number. At 80x24.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
export TCOLS=80 TROWS=24
setup_db
cat > sc.cati <<'CATI'
survey sc "Scale fills" version 1
question ease scale 1 5
  text en "How easy was it to reach the office?"
  choice 1 "Very difficult"
  choice 5 "Very easy"
question why text 100
  text en "You said {ease}: what made it so?"
CATI
cati survey load sc.cati >/dev/null || fail "survey load"
cat > s.csv <<'CSV'
ref,name,phone,language,service,agency,availed_on
S-1,Dawa Dema,17000001,en,cid_new,DCRC,2026-10-01
CSV
cati sample import --survey sc s.csv >/dev/null || fail "sample import"
cati interviewer add tashi --lang en >/dev/null || fail "add tashi"

console c tashi
twait c "Press Enter (or n)"
tkeys c n; twait c "Case S-1"; tkeys c Enter
answer c ease 1 Enter
twait c "why  ·"
twait c "You said Very difficult: what made it so?"
# back, an unlabelled point: its number
tkeys c PPage; twait c "ease  ·"
tkeys c 3 Enter
twait c "You said 3: what made it so?"
finish
