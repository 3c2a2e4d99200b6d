# case show never sends a sample's or a note's control characters to the terminal.
. "$(dirname "$0")/lib.sh"
setup_db
printf 'survey s\nquestion a text\n  text en "x"\n' > s.cati
cati survey load s.cati >/dev/null || fail "load"
esc=$(printf '\033')
printf 'ref,name,phone,gewog\nR1,"Pema%s[2J",17123456,"Dagala%s]0;pwned%s"\n' "$esc" "$esc" "$(printf '\007')" > s.csv
expect_rc 0 cati sample import --survey s s.csv
expect_rc 0 cati case outcome 1 busy --note "$(printf 'rang\033[31m twice')"
expect_rc 0 cati case show 1
case "$OUT" in *"$esc"*) fail "case show printed an escape character";; esac
expect_in "Pema^[[2J" "$OUT" "name with the escape shown as ^["
expect_in "rang^[[31m twice" "$OUT" "note with the escape shown as ^["
expect_in "Dagala^[]0;pwned^G" "$OUT" "field with the title change shown"
expect_eq "Pema${esc}[2J" "$(sql 'SELECT name FROM cases')" "the stored name is verbatim"
finish
