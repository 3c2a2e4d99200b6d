# cati — build, test, install.  `make test` is the one command CI runs.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/cati
SYSCONFDIR ?= /etc/cati
BUILD   ?= build
CC      ?= cc

PKGS_CORE = sqlite3
PKGS_UI   = ncursesw libedit
pc = $(shell pkg-config $(1) $(2) 2>/dev/null)

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASEFLAGS = -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -MMD -MP -Iinclude -I/usr/include/iniparser
ifeq ($(SAN),1)
BASEFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANLD = -fsanitize=address,undefined
endif
ALL_CFLAGS = $(BASEFLAGS) $(call pc,--cflags,$(PKGS_CORE) $(PKGS_UI) cmocka) $(CFLAGS)
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
.PHONY: all test check unit e2e replay install uninstall demo bench fuzz test-faults valgrind clean deps

all: $(CATI)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCATI): $(CORE_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(CATI): $(FRONT_OBJ) $(LIBCATI)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(SANLD) $(LDFLAGS) -o $@ $(FRONT_OBJ) $(LIBCATI) $(UI_LIBS) $(CORE_LIBS)

# Unit tests link libcati without curses or libedit: if they link, the layering holds.
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANLD) $(LDFLAGS) -o $@ $< $(LIBCATI) $(call pc,--libs,cmocka) $(CORE_LIBS)

# CI replays the fuzz corpus with a plain driver (no clang needed).
$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay_main.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

# Fault-injection drivers (crash, disk full, locked database) for the e2e fault tests.
$(BUILD)/faults/%: $(BUILD)/tests/faults/%.o $(LIBCATI)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANLD) $(LDFLAGS) -o $@ $< $(LIBCATI) $(CORE_LIBS)

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

install: $(CATI)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR)
	install -m 755 $(CATI) $(DESTDIR)$(BINDIR)/cati
	install -m 644 man/cati.1 $(DESTDIR)$(MANDIR)/man1/cati.1
	install -m 644 man/cati.ini.5 man/cati-script.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 data/* $(DESTDIR)$(DATADIR)/
	install -m 644 data/cati.ini $(DESTDIR)$(DATADIR)/cati.ini.example
	test -e $(DESTDIR)$(SYSCONFDIR)/cati.ini || install -m 640 data/cati.ini $(DESTDIR)$(SYSCONFDIR)/cati.ini
	@if [ -x scripts/cati-nightly-export ]; then install -m 755 scripts/cati-nightly-export $(DESTDIR)$(BINDIR)/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cati $(DESTDIR)$(BINDIR)/cati-nightly-export
	rm -f $(DESTDIR)$(MANDIR)/man1/cati.1 $(DESTDIR)$(MANDIR)/man5/cati.ini.5 $(DESTDIR)$(MANDIR)/man5/cati-script.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-bench build-fuzz demo

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
