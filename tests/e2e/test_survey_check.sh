# cati survey check: every error as FILE:LINE:COL with the line and a caret; exit 2.
. "$(dirname "$0")/lib.sh"

# works without a database
expect_rc 0 cati survey check "$DATA/serve.cati" && expect_in "ok: survey serve version 1" "$OUT"
expect_in "languages en dz" "$OUT"
[ -e cati.db ] && fail "survey check created a database"

cat > broken.cati <<'CATI'
survey broken "Broken" version 1
languages en dz
parameters accessibility

question access scale 1 5
  measures accesibility
  text en "How easy was it, {nam}?"
  text dz "ཞབས་ཏོག་ {nam}"
  end complete if access = 7

question why text 500
  ask if acess <= 2
  text en "Why?
  goto access if why = "x"

question access single
  text en "dup"
  text dz "dup"
  choice 1 "a"
  choice 1 "b"
CATI
expect_rc 2 cati survey check broken.cati
expect_eq "" "$OUT" "stdout on errors"
expect_in "broken.cati:6:12: parameter 'accesibility' is not declared in 'parameters'" "$ERR"
expect_in "broken.cati:7:30: unknown fill {nam}" "$ERR"
expect_in "broken.cati:8:22: unknown fill {nam}" "$ERR"
expect_in "broken.cati:9:28: 7 is out of the range of 'access' (scale 1 to 5)" "$ERR"
expect_in "broken.cati:12:10: unknown name 'acess'" "$ERR"
expect_in "broken.cati:13:11: unterminated string" "$ERR"
expect_in "broken.cati:14:8: goto must go forward: 'access' is at line 5" "$ERR"
expect_in "broken.cati:16:10: duplicate question 'access' (first at line 5)" "$ERR"
expect_in "broken.cati:20:10: duplicate choice code 1 (first at line 19)" "$ERR"
# the source line and a caret under the column
caret=$(printf '%s\n' "$ERR" | grep -A2 '^broken.cati:12:10:' | tail -1)
expect_eq "         ^" "$caret" "caret line"
src=$(printf '%s\n' "$ERR" | grep -A1 '^broken.cati:12:10:' | tail -1)
expect_eq "  ask if acess <= 2" "$src" "source line"
expect_in "broken.cati: 9 errors" "$ERR"

# invalid UTF-8, reported with its place
printf 'survey u\nquestion a text\n  text en "caf\xe9"\n' > utf.cati
expect_rc 2 cati survey check utf.cati && expect_in "utf.cati:3:15: invalid UTF-8" "$ERR"

# types: text compared with a number, has() on a single question
cat > types.cati <<'CATI'
survey t
question name_ok text
  text en "x"
question pick single
  text en "y"
  choice 1 "a"
  end complete if name_ok = 3 or has(pick, 1)
CATI
expect_rc 2 cati survey check types.cati
expect_in "types.cati:7:29: cannot compare text with a number" "$ERR"
expect_in "types.cati:7:38: has() needs a multi question: 'pick' is single" "$ERR"

# a missing file is an input error
expect_rc 2 cati survey check nowhere.cati && expect_in "cannot open 'nowhere.cati'" "$ERR"
expect_rc 2 cati survey check

# Question and field names become variables of the .sav, .dta and CSV: a name
# SPSS or Stata refuses is an error at its line and column, whatever its case.
long33=q_abcdefghijklmnopqrstuvwxyz_0123   # 33 bytes
long30=q_abcdefghijklmnopqrstuvwxyz_0      # 30 bytes, 33 with "_10"
for name in to TO by all with int long _x byte str80 "$long33"; do
    printf 'survey names version 1\nlanguages en\n\nquestion %s single\n  text en "Q"\n  choice 1 "a"\n' \
        "$name" > names.cati
    expect_rc 2 cati survey check names.cati
    expect_in "names.cati:4:10: question name '$name'" "$ERR"
    expect_in "SPSS and Stata" "$ERR"
done
printf 'survey names version 1\nlanguages en\n\nquestion %s multi\n  text en "Q"\n  choice 1 "a"\n  choice 10 "b"\n' \
    "$long30" > names.cati
expect_rc 2 cati survey check names.cati && expect_in "33 bytes with its longest suffix" "$ERR"
# a text or date question's export has NAME_status beside NAME
long26=q_abcdefghijklmnopqrstuvwx  # 26 bytes, 33 with "_status"
for type in text date; do
    printf 'survey names version 1
languages en

question %s %s
  text en "Q"
' "$long26" $type > names.cati
    expect_rc 2 cati survey check names.cati && expect_in "names.cati:4:10: question name '$long26' is 33 bytes with its longest suffix (_CODE, _status)" "$ERR"
done
printf 'survey names version 1
languages en

question %s text
  text en "Q"
' "${long26%?}" > names.cati
expect_rc 0 cati survey check names.cati
printf 'survey names version 1\nlanguages en\nfields region _zone\n\nquestion ok single\n  text en "Q"\n  choice 1 "a"\n' > names.cati
expect_rc 2 cati survey check names.cati && expect_in "names.cati:3:15: field name '_zone'" "$ERR"
# names that merely contain a reserved word, or are exactly 32 bytes, are fine
printf 'survey names version 1\nlanguages en\n\nquestion towns single\n  text en "Q"\n  choice 1 "a"\nquestion %s number 0 9\n  text en "N"\n' \
    "${long33%?}" > names.cati
expect_rc 0 cati survey check names.cati
finish
