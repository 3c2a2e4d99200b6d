# bash completion for cati(1). The words come from cati itself
# (`cati __complete WORD...`, read from its command table), so the
# completion knows every command, subcommand and option the binary has,
# and names from the database (surveys, logins) where an argument is one.
# Installed as $(PREFIX)/share/bash-completion/completions/cati.

_cati()
{
    local cur=${COMP_WORDS[COMP_CWORD]} out rc i
    local -a words=(cati) global=()
    # cati's own -c FILE and -d FILE choose the database to read names from
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -c|-d) ((i + 1 < COMP_CWORD)) && global+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
        esac
        words+=("${COMP_WORDS[i]}")
    done
    out=$("$1" "${global[@]}" __complete "${words[@]}" "$cur" 2>/dev/null)
    rc=$?
    COMPREPLY=()
    if ((rc == 3)); then # a file name
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    elif ((rc == 0)) && [[ -n $out ]]; then
        mapfile -t COMPREPLY <<<"$out"
    fi
    return 0
}
complete -F _cati cati
