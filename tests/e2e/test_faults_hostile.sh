# Fault suite: hostile input to the commands — scripts, samples and answer
# files with invalid UTF-8, NUL bytes, huge fields and lines, 10,000
# columns, 100,000 nested parentheses, random bytes. Each gets a clear
# error (or is accepted when it is valid), never a crash or a hang; and a
# rejected import leaves nothing behind.
. "$(dirname "$0")/lib.sh"

setup_db
cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }        # rep CHAR N
reps() { yes -- "$1" | head -n "$2" | tr -d '\n'; }          # reps STRING N
# calm EXPECTED-RC WHAT CMD…: no crash (signal), no hang (300 s), the exit
# status wanted, and one line naming the problem on a refusal
calm() {
    local want=$1 what=$2 cmd=$3; shift 3
    [ "$cmd" = cati ] && cmd=$CATI_BIN
    OUT=$(timeout 300 "$cmd" "$@" 2>"$WORK/.stderr"); local rc=$?
    ERR=$(head -c 2000 "$WORK/.stderr")
    case $rc in
    124) fail "$what: hung (killed after 300 s)"; return 1;;
    12[5-9]|1[3-9][0-9]|2[0-9][0-9]) fail "$what: crashed (status $rc): $ERR"; return 1;;
    esac
    [ "$rc" = "$want" ] || { fail "$what: exit $rc, expected $want: $ERR"; return 1; }
    echo "$what: exit $rc: $(printf '%s' "$ERR" | head -1 | cut -c1-150)"
}
HEAD='survey s "S" version 1
languages en
question a scale 1 5
  text en "A"
question b scale 1 5
  text en "B"'

# --- scripts -----------------------------------------------------------------------
{ echo "$HEAD"; printf '  ask if %s a = 1 %s\n' "$(rep '(' 100000)" "$(rep ')' 100000)"; } > parens.cati
calm 2 "100,000 parentheses" cati survey check parens.cati && expect_in "too deeply nested" "$ERR"
{ echo "$HEAD"; printf '  ask if %s a = 1\n' "$(reps 'not ' 100000)"; } > nots.cati
calm 2 "100,000 nots" cati survey check nots.cati && expect_in "too deeply nested" "$ERR"
{ echo "$HEAD"; printf '  ask if a = 1%s\n' "$(reps ' or a = 2' 100000)"; } > ors.cati
calm 2 "100,000 ors" cati survey check ors.cati && expect_in "too deeply nested" "$ERR"
{ echo "$HEAD" | sed '$d'; printf '  text en "%s"\n' "$(rep x 5000000)"; } > longtext.cati
calm 0 "a 5 MB question text" cati survey check longtext.cati
{ echo "$HEAD" | sed '$d'; printf '  text en "%s"\n' "$(reps '}x' 1000000)"; } > braces.cati
calm 2 "a 2 MB line of lone braces" cati survey check braces.cati && expect_in "a lone '}'" "$ERR"
[ "$(wc -c < "$WORK/.stderr")" -lt 200000 ] || fail "the report of a huge line is huge"
{ echo "$HEAD"; printf '  ask if a = 1 %s\n' "$(rep ' ' 3000000)"; printf 'question %s number 1 2\n  text en "C"\n' "$(rep q 5000)"; } > longname.cati
calm 2 "a 5,000-character name" cati survey check longname.cati
{ echo "$HEAD"; printf '  text en "a\0b"\n'; } > nul.cati
calm 2 "a NUL byte" cati survey check nul.cati
{ echo "$HEAD"; printf '  text en "caf\351"\n'; } > latin1.cati
calm 2 "invalid UTF-8" cati survey check latin1.cati && expect_in "invalid UTF-8" "$ERR"
head -c 1000000 /dev/urandom > random.cati
calm 2 "1 MB of random bytes" cati survey check random.cati
{ echo "$HEAD"; yes '# a comment line' | head -n 1000000; } > comments.cati
calm 0 "a million comment lines" cati survey check comments.cati
{ echo "$HEAD"; seq 3000 | sed 's/.*/question q& number 0 9\n  text en "Q"\n  ask if a = 1 and b = 2/'; } > many.cati
calm 0 "3,000 questions" cati survey check many.cati

# --- samples (all or nothing) ---------------------------------------------------------
cases() { sql "SELECT count(*) FROM cases; SELECT count(*) FROM case_fields"; }
before=$(cases)
{ printf 'ref,name,phone'; seq 4 10000 | sed 's/^/,c/' | tr -d '\n'; echo
  for r in 1 2 3; do printf 'W%d,Name %d,1700000%d' $r $r $r; printf '%s\n' "$(reps ',v' 9997)"; done; } > wide.csv
calm 0 "10,000-column rows" cati sample import --survey serve wide.csv
expect_eq 29991 "$(sql "SELECT count(*) FROM case_fields f JOIN cases c ON c.id = f.case_id WHERE c.ref LIKE 'W%'")" "every field of the wide rows"
before=$(cases)
{ echo 'ref,name,phone'; printf 'X1,N,17000001%s\n' "$(reps ',v' 9997)"; } > ragged.csv
calm 2 "a 10,000-column row under a 3-column header" cati sample import --survey serve ragged.csv
expect_in "ragged.csv:2:" "$ERR"
{ echo 'ref,name,phone'; printf 'X1,%s,17000001\n' "$(rep N 2000000)"; } > hugefield.csv
calm 2 "a 2 MB field" cati sample import --survey serve hugefield.csv && expect_in "longer than" "$ERR"
{ echo 'ref,name,phone'; printf 'X1,"%s\n' "$(rep x 3000000)"; } > unterminated.csv
calm 2 "an unterminated 3 MB quote" cati sample import --survey serve unterminated.csv
{ echo 'ref,name,phone'; printf 'X1,N\0ame,17000001\n'; } > nul.csv
calm 2 "a NUL byte in a field" cati sample import --survey serve nul.csv && expect_in "NUL byte" "$ERR"
{ echo 'ref,name,phone'; printf 'X1,Caf\351,17000001\n'; } > latin1.csv
calm 2 "invalid UTF-8 in a field" cati sample import --survey serve latin1.csv && expect_in "invalid UTF-8" "$ERR"
head -c 1000000 /dev/urandom > random.csv
calm 2 "1 MB of random bytes" cati sample import --survey serve random.csv
expect_eq "$before" "$(cases)" "rejected imports left nothing"

# --- answers to survey try ------------------------------------------------------------
printf 'reached=1\nreceived=1\nconsent=1\naccess=1\naccess_req=1\naccess_visits=2\naccess_why=%s\n' "$(rep x 10000000)" > huge.answers
calm 2 "a 10 MB text answer" cati survey try "$DATA/serve.cati" --answers huge.answers
printf 'reached=1\nreceived=%s\n' "$(rep 9 100000)" > bignum.answers
calm 2 "a 100,000-digit number" cati survey try "$DATA/serve.cati" --answers bignum.answers
printf 'reached=1\nreceived=1\377\n' > latin1.answers
calm 2 "invalid UTF-8 in an answer" cati survey try "$DATA/serve.cati" --answers latin1.answers
expect_eq ok "$(sql 'PRAGMA integrity_check')" "integrity"
finish
