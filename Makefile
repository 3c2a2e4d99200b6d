# cati — build, test, install.  `make test` is the one command CI runs.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/cati
SYSCONFDIR ?= /etc/cati
# The database named by the installed SYSCONFDIR/cati.ini: empty keeps
# ./cati.db (the current directory); the Debian package sets /var/lib/cati.
DBDIR   ?=
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# bash-completion loads completions/cati the first time `cati` is completed.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD   ?= build
# `make deb` builds the Debian package here (outside the source tree's files).
DEBDIR  ?= $(BUILD)/deb
CC      ?= cc

PKGS_CORE = sqlite3
PKGS_UI   = ncursesw libedit
pc = $(shell pkg-config $(1) $(2) 2>/dev/null)

# WERROR=0 (distribution builds, newer compilers) keeps the warnings but not fatal.
WERROR  ?= 1
WARN     = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASEFLAGS = -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -MMD -MP -Iinclude -I/usr/include/iniparser
# Hardening in every build: stack protector (and stack-clash and CET
# protection where the compiler has them), PIE, full RELRO, and FORTIFY
# unless CPPFLAGS/CFLAGS set it (dpkg-buildflags does) or SAN=1 (ASan
# replaces it). CPPFLAGS, CFLAGS and LDFLAGS you pass come after these.
cc_has = $(shell $(CC) $(1) -Werror -c -x c /dev/null -o /dev/null 2>/dev/null && echo $(1))
HARDEN_CFLAGS := -fPIE -fstack-protector-strong $(call cc_has,-fstack-clash-protection) $(call cc_has,-fcf-protection)
HARDEN_LDFLAGS = -pie -Wl,-z,relro -Wl,-z,now
ifeq ($(SAN),1)
BASEFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANLD = -fsanitize=address,undefined
else ifeq ($(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),)
HARDEN_CPPFLAGS = -D_FORTIFY_SOURCE=2
endif
ALL_CFLAGS = $(HARDEN_CPPFLAGS) $(CPPFLAGS) $(BASEFLAGS) $(HARDEN_CFLAGS) \
             $(call pc,--cflags,$(PKGS_CORE) $(PKGS_UI) cmocka) $(CFLAGS)
ALL_LDFLAGS = $(SANLD) $(HARDEN_LDFLAGS) $(LDFLAGS)
# ReadStat (libreadstat-dev) has no pkg-config file
CORE_LIBS = $(call pc,--libs,$(PKGS_CORE)) -liniparser -lreadstat -lm
UI_LIBS   = $(call pc,--libs,$(PKGS_UI))

CORE_SRC  = $(wildcard src/core/*.c)
FRONT_SRC = src/main.c $(wildcard src/cmd/*.c src/tui/*.c src/shell/*.c)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
FAULT_SRC = $(wildcard tests/faults/*.c)

CORE_OBJ  = $(CORE_SRC:%.c=$(BUILD)/%.o)
FRONT_OBJ = $(FRONT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)
FAULT_BIN = $(FAULT_SRC:tests/faults/%.c=$(BUILD)/faults/%)
LIBCATI   = $(BUILD)/libcati.a
CATI      = $(BUILD)/cati

ifneq ($(V),1)
Q = @
endif

.SECONDARY:
.PHONY: all test check unit e2e replay install install-setgid uninstall demo bench fuzz test-faults valgrind clean deps deb FORCE

all: $(CATI)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The system configuration file's directory is compiled in (config.c); the
# stamp rebuilds it when SYSCONFDIR changes, so binary and install agree.
$(BUILD)/src/core/config.o: ALL_CFLAGS += -DCATI_SYSCONFDIR='"$(SYSCONFDIR)"'
$(BUILD)/src/core/config.o: $(BUILD)/sysconfdir.stamp
$(BUILD)/sysconfdir.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SYSCONFDIR)' | cmp -s - $@ || echo '$(SYSCONFDIR)' > $@

$(LIBCATI): $(CORE_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(CATI): $(FRONT_OBJ) $(LIBCATI)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(FRONT_OBJ) $(LIBCATI) $(UI_LIBS) $(CORE_LIBS)

# Unit tests link libcati without curses or libedit: if they link, the layering holds.
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBCATI) $(call pc,--libs,cmocka) $(CORE_LIBS)

# CI replays the fuzz corpus with a plain driver (no clang needed).
$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay_main.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CORE_LIBS)

# Fault-injection drivers (crash, disk full, locked database) for the e2e fault tests.
$(BUILD)/faults/%: $(BUILD)/tests/faults/%.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBCATI) $(CORE_LIBS)

deps:
	$(Q)scripts/install-deps

# The README's test command: deps, build, unit + e2e, then all again under
# ASan+UBSan, then the unit tests under valgrind.
test: deps
	$(Q)$(MAKE) --no-print-directory check
	$(Q)$(MAKE) --no-print-directory BUILD=build-san SAN=1 check
	$(Q)$(MAKE) --no-print-directory valgrind
	@echo "make test: all passed"

check: $(CATI) $(UNIT_BIN) $(REPLAY_BIN) $(FAULT_BIN)
	$(Q)scripts/run-unit $(UNIT_BIN)
	$(Q)scripts/run-replay $(BUILD)/replay
	$(Q)CATI_BIN=$(abspath $(CATI)) tests/e2e/run

unit: $(UNIT_BIN)
	$(Q)scripts/run-unit $(UNIT_BIN)

# The unit tests and the fuzz corpus replays under valgrind (no sanitizers).
valgrind: $(UNIT_BIN) $(REPLAY_BIN)
	$(Q)scripts/valgrind-unit --replay $(BUILD)/replay $(UNIT_BIN)

e2e: $(CATI) $(FAULT_BIN)
	$(Q)CATI_BIN=$(abspath $(CATI)) tests/e2e/run $(T)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo

bench: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build-bench CFLAGS="-O3 -DNDEBUG" all
	$(Q)CATI_BIN=$(abspath build-bench/cati) scripts/bench

FUZZ_SECONDS ?= 60
fuzz: deps
	$(Q)scripts/fuzz $(FUZZ_SECONDS)

test-faults: $(CATI) $(FAULT_BIN)
	$(Q)CATI_BIN=$(abspath $(CATI)) CATI_FAULTS=long E2E_VERBOSE=1 tests/e2e/run faults

# The systemd units and the system cati.ini are made from their templates with
# the install's paths: BINDIR, SYSCONFDIR and (when set) DBDIR.
UNITS = cati-nightly-export.service cati-nightly-export.timer
SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: $(CATI)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(BASHCOMPDIR) \
	    $(if $(DBDIR),$(DESTDIR)$(DBDIR))
	install -m 755 $(CATI) $(DESTDIR)$(BINDIR)/cati
	install -m 644 scripts/cati.bash $(DESTDIR)$(BASHCOMPDIR)/cati
	install -m 755 scripts/cati-nightly-export $(DESTDIR)$(BINDIR)/
	install -m 644 man/cati.1 man/cati-nightly-export.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/cati.ini.5 man/cati-script.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 data/* $(DESTDIR)$(DATADIR)/
	install -m 644 data/cati.ini $(DESTDIR)$(DATADIR)/cati.ini.example
	for u in $(UNITS); do $(SUBST) scripts/$$u.in > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
	    chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; done
	test -e $(DESTDIR)$(SYSCONFDIR)/cati.ini || { \
	    $(if $(DBDIR),sed 's|^path = ./cati.db  *;|path = $(DBDIR)/cati.db   ;|',cat) data/cati.ini > $(BUILD)/cati.ini && \
	    install -m 640 $(BUILD)/cati.ini $(DESTDIR)$(SYSCONFDIR)/cati.ini; }

# The door (cati(1) SECURITY), as root after the install: cati set-group-ID
# CATI_GROUP (made if missing), the system cati.ini 0640 and the database
# directory DBDIR (required: a set-group-ID cati needs an absolute database
# path) 2770, both root:CATI_GROUP. Users then reach the data only through
# cati; do not add them to the group. `make install` alone stays unprivileged.
CATI_GROUP ?= cati
install-setgid: install
	@test -n "$(DBDIR)" || { echo "make install-setgid: set DBDIR, e.g. DBDIR=/var/lib/cati" >&2; exit 2; }
	@test "$$(id -u)" = 0 || { echo "make install-setgid: run it as root" >&2; exit 2; }
	getent group $(CATI_GROUP) >/dev/null || groupadd --system $(CATI_GROUP)
	chown root:$(CATI_GROUP) $(DESTDIR)$(BINDIR)/cati $(DESTDIR)$(SYSCONFDIR)/cati.ini $(DESTDIR)$(DBDIR)
	chmod 2755 $(DESTDIR)$(BINDIR)/cati
	chmod 0640 $(DESTDIR)$(SYSCONFDIR)/cati.ini
	chmod 2770 $(DESTDIR)$(DBDIR)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cati $(DESTDIR)$(BINDIR)/cati-nightly-export
	rm -f $(DESTDIR)$(MANDIR)/man1/cati.1 $(DESTDIR)$(MANDIR)/man1/cati-nightly-export.1
	rm -f $(DESTDIR)$(MANDIR)/man5/cati.ini.5 $(DESTDIR)$(MANDIR)/man5/cati-script.5
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(UNITS))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/cati
	rm -rf $(DESTDIR)$(DATADIR)

# The Debian package (debian/), built from a copy of the source in
# $(DEBDIR)/src so that the tree stays clean; cati_*.deb lands in $(DEBDIR).
# The copy leaves out what .gitignore lists (build trees, databases, demo).
DEB_EXCLUDE = --exclude-vcs --exclude='./build*' --exclude=./demo --exclude=./bench/results \
              --exclude='*.db' --exclude='*.db-wal' --exclude='*.db-shm' --exclude='./debian/.debhelper' \
              --exclude='./debian/cati' --exclude='./debian/files' --exclude='./debian/*.substvars' \
              --exclude='./debian/debhelper-build-stamp'
deb:
	rm -rf $(DEBDIR)/src $(DEBDIR)/cati_* $(DEBDIR)/cati-dbgsym_* && mkdir -p $(DEBDIR)/src
	tar -cf - $(DEB_EXCLUDE) --exclude='./$(patsubst ./%,%,$(DEBDIR))' . | tar -xf - -C $(DEBDIR)/src
	cd $(DEBDIR)/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	    DEB_BUILD_OPTIONS="parallel=2 $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b
	rm -rf $(DEBDIR)/src
	@ls $(DEBDIR)/*.deb

clean:
	rm -rf build build-san build-bench build-fuzz demo

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
