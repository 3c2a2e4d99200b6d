# Contract (DESIGN "Data and export", `cati export`, `cati sync`): interviews
# done in the real console, then the files an analyst gets: names, one row a
# completed interview, multi as 0/1 columns, -8/-9/empty, RFC 4180, no PII
# without --with-pii, --since-last, --format sqlite; sync idempotent.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
setup_db
cat > exq.cati <<'CATI'
survey exq "Export test" version 1
languages en
fields gewog
parameters accessibility

question reached single
  text en "May I speak with {name} of {gewog}?"
  choice 1 "Speaking"
  choice 3 "No such person"
  nodk norf
  end ineligible if reached = 3

question services multi
  text en "Which services, {name}?"
  choice 1 "ID card"
  choice 2 "Census"
  choice 4 "Passport"
  choice 9 "None"
  exclusive 9

question access scale 1 5
  measures accessibility
  text en "How easy?"

question why text 100
  ask if access <= 2
  text en "Why?"

question chang text
  ask if gewog = "Chang"
  text en "Chang only: comment, please"

question days number 0 365
  text en "Days?"

question when date
  text en "When?"
CATI
cati survey load exq.cati >/dev/null || fail "survey load"
cat > e.csv <<'CSV'
ref,name,phone,gewog
E1,"Dorji, Wangmo",17000001,Chang
E2,Pema Lhamo,17000002,Haa
E3,Karma Dema,17000003,Haa
E4,Sonam Tshering,17000004,Haa
E5,Tashi Dorji,17000005,Haa
CSV
cati sample import --survey exq e.csv >/dev/null || fail "sample import"
cati interviewer add pema --lang en >/dev/null || fail "add pema"

# three cases through the console: two completes, one ineligible
console c1 pema
twait c1 "Press Enter (or n) for the next case"
tkeys c1 n; twait c1 "Case E1"; tkeys c1 Enter
answer c1 reached 1 Enter
answer c1 services 1 Space 4 Space Enter
answer c1 access 2 Enter
answer c1 why 'slow, "very" slow' Enter
answer c1 chang "ok" Enter
answer c1 days F2                         # don't know
answer c1 when 2026-10-01 Enter
twait c1 "The interview has ended: complete."; tkeys c1 Enter
twait c1 "Press Enter (or n) for the next case"
tkeys c1 n; twait c1 "Case E2"; tkeys c1 Enter
answer c1 reached 1 Enter
answer c1 services 9 Space Enter
answer c1 access 4 Enter
answer c1 days F3                         # refused
answer c1 when F2
twait c1 "The interview has ended: complete."; tkeys c1 Enter
twait c1 "Press Enter (or n) for the next case"
tkeys c1 n; twait c1 "Case E3"; tkeys c1 Enter
answer c1 reached 3 Enter
twait c1 "The interview has ended: ineligible."; tkeys c1 Enter
twait c1 "Press Enter (or n) for the next case"
# back-navigation: an answer left off the new route is not exported
tkeys c1 n; twait c1 "Case E4"; tkeys c1 Enter
answer c1 reached 1 Enter
answer c1 services 2 Space Enter
answer c1 access 1 Enter
answer c1 why "left off the route" Enter
twait c1 "days  ·"
tkeys c1 PPage; twait c1 "why  ·"
tkeys c1 PPage; twait c1 "access  ·"
tkeys c1 BSpace 5 Enter
answer c1 days 12 Enter
answer c1 when 2026-10-02 Enter
twait c1 "The interview has ended: complete."; tkeys c1 Enter
twait c1 "Press Enter (or n) for the next case"
tkeys c1 q; twait c1 "[exited 0]"
# a fifth case: only a busy call, recorded by the dialer path
e4=$(sql "SELECT id FROM cases WHERE ref='E5'")
expect_rc 0 cati case outcome "$e4" busy --note "line busy" || true

# csvq FILE SQL: load an RFC 4180 file into table t and query it
csvq() { sqlite3 -batch -noheader -separator '|' :memory: ".import --csv $1 t" "$2"; }
# rfc4180 FILE: every line ends CRLF, every row has the header's field count
rfc4180() {
    local lines crlf
    lines=$(wc -l < "$1"); crlf=$(grep -c $'\r$' "$1")
    expect_eq "$lines" "$crlf" "$1: CRLF line ends"
    [ "$(tail -c 2 "$1" | od -An -c | tr -d ' ')" = '\r\n' ] || fail "$1: last record not ended by CRLF"
    local nf rows
    nf=$(csvq "$1" "SELECT count(*) FROM pragma_table_info('t')")
    rows=$(sqlite3 -batch :memory: ".import --csv $1 t" 2>&1 | grep -c "expected $nf columns")
    expect_eq 0 "$rows" "$1: ragged rows"
}

expect_rc 0 cati export --survey exq --out out || true
for f in exq_interviews.csv exq_codebook.csv exq_calls.csv; do
    [ -f "out/$f" ] || { fail "export wrote no out/$f: $(ls out)"; continue; }
    rfc4180 "out/$f"
done
ls -A out | grep -E '^\.|tmp|~$' && fail "temporary files left in out/"
iv=out/exq_interviews.csv
expect_eq "3" "$(csvq $iv "SELECT count(*) FROM t")" "one row a completed interview"
hdr=$(head -1 $iv | tr -d '\r')
expect_in "reached,services_1,services_2,services_4,services_9,access,why,why_status,chang,chang_status,days,when,when_status" "$hdr" "variables in script order, multi as one column a choice, text and date with their status"
expect_in "ref" "$hdr" "ref column"
for pii in name phone; do
    case ",$hdr," in *",$pii,"*) fail "column '$pii' exported without --with-pii";; esac
done
expect_eq "1|1|0|1|0|2|slow, \"very\" slow|ok|-8|2026-10-01" \
    "$(csvq $iv "SELECT reached, services_1, services_2, services_4, services_9, access, why, chang, days, \"when\" FROM t WHERE ref='E1'")" "E1 row"
expect_eq "1|0|0|0|1|4|||||-9||dk" \
    "$(csvq $iv "SELECT reached, services_1, services_2, services_4, services_9, access, why, why_status, chang, chang_status, days, \"when\", when_status FROM t WHERE ref='E2'")" "E2 row: not asked is empty, RF -9; a date's DK: empty, its status dk"
expect_eq "answered|ok|answered|-8" "$(csvq $iv "SELECT when_status, chang, chang_status, days FROM t WHERE ref='E1'")" "E1: status of answered text and date"
expect_eq "Chang" "$(csvq $iv "SELECT gewog FROM t WHERE ref='E1'")" "respondent field column"
grep -q 'E3' $iv && fail "ineligible case exported as an interview"
expect_eq "0|1|0|0|5||12" "$(csvq $iv "SELECT services_1, services_2, services_4, services_9, access, why, days FROM t WHERE ref='E4'")" "E4: re-routed answer not exported"
expect_in '"slow, ""very"" slow"' "$(cat $iv)" "RFC 4180 quoting"
# no names or phone numbers anywhere without --with-pii
for f in out/*; do
    grep -qE 'Dorji|Wangmo|Pema Lhamo|Karma Dema|Sonam Tshering|Tashi|1700000[1-5]' "$f" &&
        fail "personal data in $f without --with-pii"
done
# codebook: one row a variable, DK/RF codes documented
cb=out/exq_codebook.csv
for v in reached services_1 services_2 services_4 services_9 access why chang days when; do
    grep -q "^$v," $cb || fail "codebook lacks variable $v"
done
grep -q -- "-8" $cb || fail "codebook does not document -8"
grep -q -- "-9" $cb || fail "codebook does not document -9"
# calls: every attempt, with outcome and AAPOR code
cl=out/exq_calls.csv
expect_eq 5 "$(csvq $cl "SELECT count(*) FROM t")" "every attempt in calls.csv"
got=$(csvq $cl "SELECT group_concat(outcome, ' ') FROM (SELECT outcome FROM t ORDER BY outcome)")
expect_eq "busy complete complete complete ineligible" "$got" "call outcomes"
grep -q "3.12" $cl || fail "calls.csv lacks the busy call's AAPOR code"

# --with-pii: names and numbers leave
expect_rc 0 cati export --survey exq --out pii --with-pii || true
grep -q 'Dorji, Wangmo' pii/exq_interviews.csv || fail "--with-pii: no name"
grep -q '17000001' pii/exq_interviews.csv pii/exq_calls.csv || fail "--with-pii: no phone number"

# --since-last: the second run exports nothing new
expect_rc 0 cati export --survey exq --out s1 --since-last || true
expect_eq 3 "$(csvq s1/exq_interviews.csv "SELECT count(*) FROM t")" "first --since-last"
OUT=$(cati export --survey exq --out s2 --since-last 2>&1); rc=$?
case $rc in 0|3) ;; *) fail "second --since-last exited $rc: $OUT";; esac
if [ -f s2/exq_interviews.csv ]; then
    expect_eq 0 "$(csvq s2/exq_interviews.csv "SELECT count(*) FROM t")" "second --since-last: interviews"
    [ -f s2/exq_calls.csv ] && expect_eq 0 "$(csvq s2/exq_calls.csv "SELECT count(*) FROM t")" "second --since-last: calls"
fi
# ...and a new call after it is exported by the next one
expect_rc 0 cati case outcome "$e4" no-answer || true
expect_rc 0 cati export --survey exq --out s3 --since-last || true
expect_eq 1 "$(csvq s3/exq_calls.csv "SELECT count(*) FROM t")" "third --since-last: the new call only"

# --format sqlite: one analysis database
expect_rc 0 cati export --survey exq --out sq --format sqlite || true
n=$(ls sq | wc -l); expect_eq 1 "$n" "sqlite export: one file ($(ls sq))"
db=sq/$(ls sq | head -1)
expect_eq "SQLite format 3" "$(head -c 15 "$db")" "sqlite export is a database"
sqlite3 "$db" .dump | grep -q "E1" || fail "sqlite export lacks the interviews"
sqlite3 "$db" .dump | grep -qE 'Dorji|17000001' && fail "sqlite export has personal data without --with-pii"
expect_eq "ok" "$(sqlite3 "$db" "PRAGMA integrity_check")" "sqlite export integrity"

# errors
expect_rc 2 cati export --survey nosuch --out x && expect_in "cati: " "$ERR"
: > notadir
expect_rc 1 cati export --survey exq --out notadir/x && expect_in "cati: " "$ERR"

# sync --to: idempotent
counts() { sqlite3 -batch "$1" "SELECT (SELECT count(*) FROM cases)||' '||(SELECT count(*) FROM calls)||' '||(SELECT count(*) FROM answers)"; }
expect_rc 0 cati sync --to central.db || true
first=$(counts central.db)
expect_eq "$(counts cati.db)" "$first" "central has every case, call and answer"
expect_rc 0 cati sync --to central.db || true
expect_eq "$first" "$(counts central.db)" "second sync changes nothing"
expect_rc 0 cati sync --to central.db || true
expect_eq "$first" "$(counts central.db)" "third sync changes nothing"
expect_rc 0 cati case outcome "$e4" busy || true
expect_rc 0 cati sync --to central.db || true
expect_eq "$(counts cati.db)" "$(counts central.db)" "a new call syncs once"
expect_rc 1 cati sync --to notadir/central.db && expect_in "cati: " "$ERR"
finish
