# cati(1)'s SYNOPSIS and the command list opening COMMANDS are exactly the
# command table (`cati help --man`, scripts/gen-man-cmd); every row of the
# table is told in full below the list, and no heading there names a command
# or subcommand the table lacks. `cati help` prints the same rows.
. "$(dirname "$0")/lib.sh"
man1="$REPO/man/cati.1"
block() { awk -v b=".\\\\\" BEGIN $1" -v e=".\\\\\" END $1" \
    'index($0, e) == 1 {f=0} f; index($0, b) == 1 {f=1}' "$man1"; }
expect_rc 0 cati help --man synopsis && expect_eq "$OUT" "$(block SYNOPSIS)" "SYNOPSIS of cati.1 (run scripts/gen-man-cmd)"
expect_rc 0 cati help --man commands && expect_eq "$OUT" "$(block COMMANDS)" "command list of cati.1 (run scripts/gen-man-cmd)"
rows=$(printf '%s\n' "$OUT" | awk '/^\.TP/ {getline; sub(/^\.B /, ""); print}')
expect_in "monitor" "$rows"
expect_in "sync conflicts" "$rows"
expect_rc 2 cati help --man nosuch

# The rest of COMMANDS: headings (.SS) and tags (the line after .TP), plain.
plain() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(en/-/g' -e 's/"//g' \
              -e 's/^\.[A-Z]* *//' -e 's/  */ /g'; }
tags=$(awk '/^\.SH COMMANDS/{f=1; next} /^\.SH/{f=0} /^\.\\" END COMMANDS/{g=1; next}
            f && g && /^\.SS/ {print "SS " $0; prev=""; next}
            f && g && prev ~ /^\.TP/ {print "TP " $0} {prev=$0}' "$man1" |
       while IFS= read -r l; do printf '%s %s\n' "${l%% *}" "$(printf '%s\n' "${l#* }" | plain)"; done)
# each row: a heading or tag "[cati ]NAME SUB…", or "SUB…" under ".SS NAME"
told() { # told NAME [SUB]
    printf '%s\n' "$tags" | awk -v name="$1" -v sub_="${2:-}" '
        function has(text, words) { # text begins with words, or has ", words"
            return index(text " ", words " ") == 1 || index(text ",", words ",") == 1 ||
                   index(text, ", " words) > 0 || index(text, ", cati " words) > 0 ||
                   index(text " ", "| " words " ") > 0 }
        { kind = $1; text = substr($0, 4); sub(/^cati (\[[^]]*\] )*/, "cati ", text) }
        kind == "SS" { section = text }
        { w = sub_ == "" ? name : name " " sub_
          if (has(text, w) || has(text, "cati " w) || (section == name && sub_ != "" && has(text, sub_)) ||
              (sub_ == "" && kind == "TP" && has(text, name))) found = 1 }
        END { exit !found }'
}
while read -r name sub; do
    told "$name" "$sub" || fail "cati.1 COMMANDS tells nothing of '$name${sub:+ $sub}' (only the list names it)"
done <<<"$rows"
# no heading or tag "cati NAME [SUB]" of a command not in the table
while read -r kind text; do
    case $text in "cati "*) ;; *) continue ;; esac
    set -- ${text#cati }
    while [ $# -gt 0 ] && [ "${1#[}" != "$1" ]; do # [-d CENTRAL.db]
        while [ $# -gt 0 ] && [ "${1%]}" = "$1" ]; do shift; done; shift
    done
    [ $# -gt 0 ] || continue
    printf '%s\n' "$rows" | grep -q "^$1\( \|$\)" || { fail "cati.1 has '$text', no such command"; continue; }
    if printf '%s\n' "$rows" | grep -q "^$1 " && ! printf '%s\n' "$rows" | grep -q "^$1$"; then
        sub=${2%,}
        printf '%s\n' "$rows" | grep -qx "$1 $sub" || fail "cati.1 has '$text', no such subcommand"
    fi
done <<<"$tags"

# cati help: every synopsis line of the man page, each once
expect_rc 0 cati help
while IFS= read -r line; do
    syn=$(printf '%s\n' "$line" | sed -e 's/^\.B //' -e 's/\\-/-/g')
    [ "$(printf '%s\n' "$OUT" | grep -cF -- "$syn")" = 1 ] || fail "cati help lacks or repeats '$syn'"
done < <(block SYNOPSIS)
expect_not_in "__complete" "$OUT" "help lists the hidden plumbing"
expect_not_in "cati sql" "$OUT" "help lists a shell-only command"
finish
