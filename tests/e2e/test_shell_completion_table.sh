# Completion from the command table: bash (scripts/cati.bash, which asks
# `cati __complete`) and `cati shell`'s Tab offer every command, subcommand
# and option the table has (sync --site/--batch/--full, the monitor's options),
# names from the database, and file names where an argument is a file.
. "$(dirname "$0")/lib.sh"
monitor_db
cati survey pause serve >/dev/null
touch answers.txt

# --- bash: source the script, call _cati with COMP_WORDS, read COMPREPLY ------
# comp WORD... : the completions of the last word (perhaps "") after the others
comp() {
    OUT=$(bash --norc --noprofile -c '
        . "$1"; shift; bin=$1; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _cati "$bin" cati "${COMP_WORDS[COMP_CWORD-1]}" || exit 9
        printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$REPO/scripts/cati.bash" "$CATI_BIN" "$@" 2>&1)
    OUT=$(printf '%s\n' "$OUT" | tr '\n' ' ' | sed 's/ *$//')
}
bash --norc --noprofile -c '. "$1"; complete -p cati' _ "$REPO/scripts/cati.bash" | grep -q "_cati cati" ||
    fail "scripts/cati.bash does not register _cati for cati"
comp cati ""
expect_eq "case check config console export help init interviewer monitor report sample shell survey sync" "$OUT" "commands"
comp cati sy;                  expect_eq "sync" "$OUT" "cati sy"
comp cati sync "";             expect_eq "conflicts" "$OUT" "sync's subcommand"
comp cati sync --;             expect_eq "--batch --full --site --to" "$OUT" "sync's options"
comp cati sync --to x.db --s;  expect_eq "--site" "$OUT" "sync --s"
comp cati sync conflicts --;   expect_eq "--keep" "$OUT" "sync conflicts' options"
comp cati monitor --;          expect_eq "--once --panel --repeat --survey --width --with-pii" "$OUT" "monitor's options"
comp cati monitor --once --panel q; expect_eq "queue quotas" "$OUT" "monitor --panel"
comp cati monitor --survey ""; expect_eq "serve" "$OUT" "survey names from the database"
comp cati survey resume "";    expect_eq "serve" "$OUT" "paused surveys for resume"
comp cati survey pause "";     expect_eq "" "$OUT" "no running survey to pause"
comp cati interviewer enable ""; expect_eq "" "$OUT" "no disabled login"
comp cati interviewer disable s; expect_eq "sonam" "$OUT" "active logins"
comp cati case outcome 12 no-; expect_eq "no-answer" "$OUT" "outcome keywords"
comp cati report "";           expect_eq "flags interviewers quotas rates scores" "$OUT" "report's subcommands"
comp cati report rates --format ""; expect_eq "csv text" "$OUT" "report --format"
comp cati export --format s;   expect_eq "sav sqlite" "$OUT" "export --format"
comp cati help mo;             expect_eq "monitor" "$OUT" "help COMMAND"
comp cati survey try answ;     expect_eq "answers.txt" "$OUT" "a file argument"
comp cati survey try x.cati --answers answ; expect_eq "answers.txt" "$OUT" "a file option"
comp cati -d "$WORK/cati.db" survey resume s; expect_eq "serve" "$OUT" "names from the -d database"
comp cati -d "$WORK/none.db" survey resume s; expect_eq "" "$OUT" "no database, no names, no error"
comp cati nosuch an;           expect_eq "answers.txt" "$OUT" "an unknown command: file names"
comp cati sq;                  expect_eq "" "$OUT" "the shell's own commands are not cati's"
comp cati __c;                 expect_eq "" "$OUT" "the plumbing is hidden"
# every command and subcommand of cati help is offered
expect_rc 0 cati help
for w in $(printf '%s\n' "$OUT" | sed -n 's/^cati \(\[[^]]*\] \)*\([a-z]*\).*/\2/p' | sort -u); do
    comp cati "$w"; expect_in "$w" "$OUT" "completion of '$w'"
done

# --- cati shell: the same table ------------------------------------------------
tstart sh "$CATI_BIN shell"
twait sh "cati>"
tkeys sh "sync --to x.db --s" Tab "|"
twait sh "cati> sync --to x.db --site |"
tkeys sh C-u "sync --to x.db --f" Tab "|"
twait sh "cati> sync --to x.db --full |"
tkeys sh C-u "monitor --re" Tab "|"
twait sh "cati> monitor --repeat |"
tkeys sh C-u "monitor --once --panel quo" Tab "|"
twait sh "cati> monitor --once --panel quotas |"
tkeys sh C-u "monitor --sur" Tab "s" Tab "|"
twait sh "cati> monitor --survey serve |"
tkeys sh C-u "exit" Enter
twait sh "[exited 0]"
finish
