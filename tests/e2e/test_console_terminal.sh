# The console's terminal: resize below 80x24 and back at any screen,
# TERM=vt100 (no colours, no PgUp: Ctrl fallbacks), two consoles at once
# never showing the same case.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib_console.sh"
console_db

# two consoles at once: different cases, and each case claimed once
console a pema
console b karma
twait a "Press Enter (or n)"; twait b "Press Enter (or n)"
tkeys a n; tkeys b n
twait a "dial this number"; twait b "dial this number"
ra=$(tscreen a | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
rb=$(tscreen b | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
[ -n "$ra" ] && [ -n "$rb" ] && [ "$ra" != "$rb" ] || fail "two consoles: '$ra' and '$rb'"
expect_eq "2" "$(sql "SELECT count(DISTINCT claimed_by) FROM cases WHERE claimed_by IS NOT NULL")" "two holders"
console c sonam
twait c "Press Enter (or n)"; tkeys c n
twait c "dial this number"
rc_=$(tscreen c | sed -n 's/^ Case \(T-[0-9]*\) .*/\1/p')
[ "$rc_" != "$ra" ] && [ "$rc_" != "$rb" ] || fail "third console got '$rc_' (others: $ra $rb)"
console d admin
twait d "Press Enter (or n)"; tkeys d n
twait d "No case to offer now"
tkeys b r; twait b "went back to the queue"      # release: the case is free again
twait d "dial this number" 15                    # the waiting console takes it by itself
expect_in "Case $rb" "$(tscreen d)" "released case"
tkill c; tkill d

# resize: too small below 80x24 at the case screen and in the interview, then back
tresize a 60 20
twait a "terminal too small"
tkeys a Enter                                    # keys wait until it is big enough
tresize a 100 30
twait a "dial this number"
tkeys a Enter
twait a "reached  ·"
tresize a 79 30; twait a "terminal too small"
tresize a 80 24; twait a "reached  ·"
tkeys a 1 Enter
twait a "received  ·"
tresize a 100 30; twait a "received  ·"
tkill a; tkill b

# TERM=vt100: monochrome, Ctrl fallbacks in the key bar; keys work
TERM_OVERRIDE=vt100 console v pema
twait v "dial this number"                       # pema's unfinished case first
tkeys v Enter
twait v "received  ·"
twait v "^P Back"
esc=$(tmux -L "$TMUX_SOCK" capture-pane -e -p -t v)
case "$esc" in *$'\e[3'[0-7]*|*$'\e[4'[0-7]*) fail "vt100: colour codes on screen";; esac
case "$esc" in *$'\e[7m'*) ;; *) fail "vt100: no reverse video for the bars";; esac
tkeys v 1 Enter
answer v consent 1 Enter
answer v access C-d
twait v "access_req  ·"
tkeys v C-p
twait v "answered: don't know"
tkeys v F1; twait v "Esc 1 … Esc 0"; tkeys v q
twait v "access  ·"
finish
