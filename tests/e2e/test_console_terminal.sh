# The console's terminal: resize below 80x24 and back at any screen,
# TERM=vt100 (no colours, no PgUp: Ctrl fallbacks), two consoles at once
# never showing the same case.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

# two consoles at once: different cases, and each case claimed once
console a1 pema
console b1 karma
twait a1 "Press Enter (or n)"; twait b1 "Press Enter (or n)"
tkeys a1 n; tkeys b1 n
twait a1 "dial this number"; twait b1 "dial this number"
ra=$(tscreen a1 | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
rb=$(tscreen b1 | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
[ -n "$ra" ] && [ -n "$rb" ] && [ "$ra" != "$rb" ] || fail "two consoles: '$ra' and '$rb'"
expect_eq "2" "$(sql "SELECT count(DISTINCT claimed_by) FROM cases WHERE claimed_by IS NOT NULL")" "two holders"
console c1 sonam
twait c1 "Press Enter (or n)"; tkeys c1 n
twait c1 "dial this number"
rc_=$(tscreen c1 | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
[ "$rc_" != "$ra" ] && [ "$rc_" != "$rb" ] || fail "third console got '$rc_' (others: $ra $rb)"
console d1 admin
twait d1 "Press Enter (or n)"; tkeys d1 n
twait d1 "No case to offer now"
tkeys b1 F8; twait b1 "Release case"; tkeys b1 y   # release (asks first): the case is free again
twait b1 "went back to the queue"
twait d1 "dial this number" 15                    # the waiting console takes it by itself
expect_in "Case $rb" "$(tscreen d1)" "released case"
tkill c1; tkill d1

# resize: too small below 80x24 at the case screen and in the interview, then back
tresize a1 60 20
twait a1 "terminal too small"
tkeys a1 Enter                                    # keys wait until it is big enough
tresize a1 100 30
twait a1 "dial this number"
tkeys a1 Enter
twait a1 "reached  ·"
tresize a1 79 30; twait a1 "terminal too small"
tresize a1 80 24; twait a1 "reached  ·"
tkeys a1 1 Enter
twait a1 "received  ·"
tresize a1 100 30; twait a1 "received  ·"
tkill a1; tkill b1

# TERM=vt100: monochrome, Ctrl fallbacks in the key bar; keys work
TERM_OVERRIDE=vt100 console v1 pema
twait v1 "dial this number"                       # pema's unfinished case first
tkeys v1 Enter
twait v1 "received  ·"
twait v1 "^P Back"
esc=$(tmux -L "$TMUX_SOCK" capture-pane -e -p -t v1)
case "$esc" in *$'\e[3'[0-7]*|*$'\e[4'[0-7]*) fail "vt100: colour codes on screen";; esac
case "$esc" in *$'\e[7m'*) ;; *) fail "vt100: no reverse video for the bars";; esac
tkeys v1 1 Enter
answer v1 consent 1 Enter
answer v1 access C-d
twait v1 "access_req  ·"
tkeys v1 C-p
twait v1 "answered: don't know"
tkeys v1 F1; twait v1 "Esc 1 … Esc 0"; tkeys v1 q
twait v1 "access  ·"
finish
