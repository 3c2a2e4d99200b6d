# Terminal control sequences in data (a sample's fields, a note, a flag's
# text, an answer, a line of an input file) never reach the terminal: every
# text cati prints goes through one sanitiser (cati/visible.h), which shows
# ESC as ^[, BEL as ^G and the one-byte CSI U+009B as <U+009B>. Tried with a
# title change (ESC]0;…BEL), a screen clear (ESC[2J), a clipboard write
# (ESC]52;c;…BEL) and U+009B through monitor --once, report scores, report
# flags, case show and sample import's error messages (issue 15).
. "$(dirname "$0")/lib.sh"
setup_db
"$REPO/scripts/gen-results" cati.db 20 6 x || fail "gen-results"
cati interviewer add sonam --role supervisor >/dev/null
title=$(printf '\033]0;pwned\007')
clear=$(printf '\033[2J')
clip=$(printf '\033]52;c;cm0gLXJmIH4=\007')
csi=$(printf '\302\233')
bad="T${title}C${clear}P${clip}U${csi}31m"
sql "UPDATE cases SET service = 'svc$bad', agency = 'agency$bad', name = 'name$bad', district = 'dist$bad';
     UPDATE flags SET text = 'flag$bad';
     UPDATE calls SET note = 'note$bad';
     UPDATE answers SET value = 'answer$bad' WHERE question IN ('q5', 'q11');" ||
    fail "planting the sequences"
want="T^[]0;pwned^GC^[[2JP^[]52;c;cm0gLXJmIH4=^GU<U+009B>31m"

# clean: no ESC, BEL or U+009B byte in what a command printed, and the
# visible form is there
clean() { # NAME FILE
    if LC_ALL=C grep -q "$(printf '[\033\007]')" "$2" || grep -q "$csi" "$2"; then
        fail "$1 printed a control sequence"
    fi
    grep -qF -- "$want" "$2" || fail "$1: the visible form '$want' is not in its output"
}

CATI_USER=sonam cati monitor --once > mon.txt 2>&1 || fail "monitor --once: $(head -3 mon.txt)"
clean "monitor --once" mon.txt
CATI_USER=sonam cati report scores > scores.txt 2>&1 || fail "report scores"
clean "report scores" scores.txt
CATI_USER=sonam cati report flags > flags.txt 2>&1 || fail "report flags"
clean "report flags" flags.txt
CATI_USER=sonam cati report flags --format csv > flags.csv 2>&1 || fail "report flags --format csv"
clean "report flags --format csv" flags.csv
id=$(sql "SELECT min(case_id) FROM calls")
CATI_USER=sonam cati case show "$id" > show.txt 2>&1 || fail "case show"
clean "case show" show.txt

# sample import: a bad row's message quotes the offending value
printf 'ref,name,phone\nR1,Karma,17%s\n' "$bad" > bad.csv
cati sample import --survey bench bad.csv > imp.txt 2>&1 && fail "the bad sample was imported"
clean "sample import" imp.txt

# and an error message quoting input: an unknown survey named with escapes
cati sample import --survey "x$bad" bad.csv > err.txt 2>&1 && fail "an unknown survey was accepted"
if LC_ALL=C grep -q "$(printf '[\033\007]')" err.txt || grep -q "$csi" err.txt; then
    fail "an error message printed a control sequence"
fi
# the data itself is stored as it was given
expect_eq "svc$bad" "$(sql "SELECT DISTINCT service FROM cases")" "stored verbatim"
finish
