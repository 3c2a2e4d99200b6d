# Helpers for end-to-end tests: a temp workspace, assertions, tmux driving.
# Source it from tests/e2e/test_*.sh. Each test runs in its own temp dir
# with a cati.ini that allows CATI_USER, so logins can be simulated.
set -u
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
DATA="$REPO/data"
WORK=$(mktemp -d /tmp/cati-e2e.XXXXXX)
TMUX_SOCK="cati-e2e-$$"
cleanup() {
    tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 1
cat > cati.ini <<INI
[database]
path = $WORK/cati.db
[security]
allow_user_override = yes
INI
export CATI_CONFIG="$WORK/cati.ini"
export CATI_USER=admin
unset CATI_NOW

fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }

# cati ARGS… runs the binary under test.
cati() { "$CATI_BIN" "$@"; }

# expect_rc CODE CMD… : run, check exit status; output in $OUT / $ERR.
expect_rc() {
    local want=$1; shift
    OUT=$("$@" 2>"$WORK/.stderr"); local rc=$?
    ERR=$(cat "$WORK/.stderr")
    if [ "$rc" != "$want" ]; then
        fail "'$*' exited $rc, expected $want; stdout: $OUT; stderr: $ERR"
        return 1
    fi
    return 0
}
expect_in() { # expect_in TEXT HAYSTACK [what]
    case "$2" in *"$1"*) return 0;; esac
    fail "${3:-output} lacks '$1': $2"; return 1
}
expect_not_in() {
    case "$2" in *"$1"*) fail "${3:-output} has '$1': $2"; return 1;; esac
    return 0
}
expect_eq() { # expect_eq WANT GOT [what]
    [ "$1" = "$2" ] && return 0
    fail "${3:-value}: expected '$1', got '$2'"; return 1
}
sql() { sqlite3 -batch -noheader "$WORK/cati.db" "$@"; }

# A fresh database with admin 'admin' (CATI_USER) as first admin.
setup_db() { cati init >/dev/null || fail "init failed"; }

# monitor_db: the monitor's tests' database: supervisor sonam, the ServE
# questionnaire and the first three respondents of the demo sample.
monitor_db() {
    setup_db
    cati interviewer add sonam --role supervisor >/dev/null || fail "add sonam"
    expect_rc 0 cati survey load "$DATA/serve.cati"
    head -4 "$DATA/demo-sample.csv" > sample.csv
    expect_rc 0 cati sample import --survey serve sample.csv
}

# Words of a text (one a line), stripped of the punctuation around them;
# Dzongkha split after each tsheg (lines may break there, as between words).
words_of() {
    tr -s ' \t' '\n\n' | sed -e 's/་/་\n/g' | sed -e 's/^["(]*//' -e 's/[",.;:)/]*$//' | grep -v '^$'
}
# check_words NAME SCREENS TEXT... : each word of the texts is on the screens
# whole, and no line reaching the right edge (TCOLS) ends in a cut-off start
# of one of them (the monitor's tests at 80x24).
check_words() {
    local name=$1 screens=$2; shift 2
    local have want w t line
    have=$(printf '%s\n' "$screens" | words_of | sort -u)
    want=$(printf '%s\n' "$@" | words_of | sort -u)
    while IFS= read -r w; do
        printf '%s\n' "$have" | grep -qxF -- "$w" || fail "$name: '$w' not on the screen whole"
    done <<< "$want"
    while IFS= read -r line; do
        [ ${#line} -ge "${TCOLS:-100}" ] || continue
        t=$(printf '%s\n' "$line" | words_of | tail -1)
        printf '%s\n' "$want" | grep -qxF -- "$t" && continue
        while IFS= read -r w; do
            case "$w" in "$t"?*) fail "$name: cut word '$t' (of '$w') at the right edge";; esac
        done <<< "$want"
    done <<< "$screens"
}

# --- tmux: the real terminal ---------------------------------------------
# tstart NAME CMD… : start CMD in a 100x30 tmux session NAME (TCOLS, TROWS
# change the size: the console's tests of issue 11 run at 80x24).
# The exit marker "[exited N]" is printed at the start of a line of its own
# (\r\n: a killed program leaves the terminal raw), so it never wraps.
tstart() {
    local name=$1; shift
    tmux -L "$TMUX_SOCK" new-session -d -s "$name" -x "${TCOLS:-100}" -y "${TROWS:-30}" \
        "cd '$WORK' && env CATI_CONFIG='$CATI_CONFIG' CATI_USER='${CATI_USER}' ${CATI_NOW:+CATI_NOW='$CATI_NOW'} TERM=${TERM_OVERRIDE:-xterm-256color} LC_ALL=C.UTF-8 $*; r=\$?; printf '\\r\\n[exited %s]\\r\\n' \$r; sleep 30"
}
# Targets are exact ("=NAME:"): a bare "-t b" could prefix-match another name.
tkeys() { local name=$1; shift; tmux -L "$TMUX_SOCK" send-keys -t "=$name:" "$@"; }
tscreen() { tmux -L "$TMUX_SOCK" capture-pane -p -t "=$1:"; }
tresize() { tmux -L "$TMUX_SOCK" resize-window -t "=$1:" -x "$2" -y "$3"; }
tkill() { tmux -L "$TMUX_SOCK" kill-session -t "=$1" 2>/dev/null; }
tpid() { tmux -L "$TMUX_SOCK" list-panes -t "=$1:" -F '#{pane_pid}'; }
# twait NAME TEXT [SECONDS]: poll the screen until TEXT appears.
twait() {
    local name=$1 text=$2 limit=${3:-10} i=0
    while [ $i -lt $((limit * 20)) ]; do
        tscreen "$name" 2>/dev/null | grep -qF -- "$text" && return 0
        sleep 0.05; i=$((i+1))
    done
    fail "screen '$name' never showed '$text'"; echo "---- screen ----"; tscreen "$name"; echo "----------------"
    return 1
}
finish() {
    if [ "$fails" -gt 0 ]; then echo "$fails failure(s)"; exit 1; fi
    exit 0
}
