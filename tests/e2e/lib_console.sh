# Helpers for the console's end-to-end tests (tests/e2e/test_console*.sh).
# Source after lib.sh. The clock is pinned (CATI_NOW) to a Tuesday morning
# inside the default calling hours, so the queue offers cases at any real time.
export CATI_NOW="2026-11-24 10:00"

# A screen that never shows what a step waits for leaves the rest of the
# script meaningless: report it and stop there (fast, and one clear failure).
eval "$(declare -f twait | sed '1s/twait/lib_twait/')"
twait() { lib_twait "$@" || finish; }

# console_db [CSV]: a database with data/serve.cati, the sample CSV (default:
# three fictional respondents), and interviewers pema, karma, sonam (en,dz).
console_db() {
    setup_db
    cati survey load "$DATA/serve.cati" >/dev/null || fail "survey load"
    if [ $# -eq 0 ]; then
        cat > sample.csv <<'CSV'
ref,name,phone,phone2,language,service,agency,district,availed_on,gewog
T-1,Leki Yangden,17819192,77123456,en,cid_new,Department of Civil Registration and Census,Thimphu,2026-10-01,Chang
T-2,Pema Wangdi,17207173,,en,census_transfer,Department of Civil Registration and Census,Bumthang,2026-10-04,Chhoekhor
T-3,Karma Choden,17555111,,en,cid_new,Department of Civil Registration and Census,Paro,2026-10-06,Dopshari
CSV
        set -- sample.csv
    fi
    cati sample import --survey serve "$1" >/dev/null || fail "sample import"
    for who in pema karma sonam; do
        cati interviewer add "$who" --name "$who" --lang en,dz >/dev/null || fail "interviewer add $who"
    done
}

# console NAME LOGIN: start the console for LOGIN in tmux session NAME.
console() {
    local name=$1 login=$2
    CATI_USER=$login tstart "$name" "'$CATI_BIN' console"
}

# answer NAME QUESTION KEYS…: wait for QUESTION on screen, then send KEYS.
answer() {
    local name=$1 q=$2; shift 2
    twait "$name" "$q  ·" || return 1
    tkeys "$name" "$@"
}

# The pid of the console running in session NAME (the pane's child).
console_pid() { pgrep -P "$(tpid "$1")" -x cati; }

# twait_gone NAME TEXT: poll until TEXT is no longer on the screen.
twait_gone() {
    local name=$1 text=$2 i=0
    while [ $i -lt 200 ]; do
        tscreen "$name" 2>/dev/null | grep -qF -- "$text" || return 0
        sleep 0.05; i=$((i+1))
    done
    fail "screen '$name' still shows '$text'"; tscreen "$name"; return 1
}
