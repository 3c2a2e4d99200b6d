# The man pages render cleanly and cati.ini(5) lists exactly the keys of the config table.
. "$(dirname "$0")/lib.sh"
man_ini="$REPO/man/cati.ini.5"
want=$(cati config --man)
got=$(awk '/^\.\\" BEGIN KEYS/{f=1; next} /^\.\\" END KEYS/{f=0} f' "$man_ini")
expect_eq "$want" "$got" "KEYS section of cati.ini.5 (run scripts/gen-man-ini)"
if command -v man >/dev/null; then
    for page in "$REPO"/man/*.[15]; do
        warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
        expect_eq "" "$warnings" "man warnings for $(basename "$page")"
    done
fi
# the example configuration is complete and valid
expect_rc 0 cati -c "$DATA/cati.ini" config
for key in $(cati config | awk '/^[a-z]/{print $1}'); do
    sec=${key%%:*}; k=${key#*:}
    grep -q "^\[$sec\]" "$DATA/cati.ini" || fail "data/cati.ini lacks [$sec]"
    grep -q "^$k *=" "$DATA/cati.ini" || fail "data/cati.ini lacks $key"
done
finish
