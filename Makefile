# dcx — top-level Makefile.  `make help` lists the targets.
#
# Layout: lib/ builds libdcx (static + shared), bindings/lua/ the Lua module, cli/ the dcx
# binary (with `dcx run` in cli/lua/),
# tests/ the TAP test programs and scripts run by prove.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
# -Werror only where we ask for it (check, sanitize, DEVELOPER=1): a user's newer compiler
# with new warnings still builds dcx with plain `make`
WARN     := -std=c11 -Wall -Wextra -Wpedantic $(if $(filter 1,$(DEVELOPER)),-Werror)
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Ilib/include -Ilib/core -Icli -Ibindings/lua
PKGS     := gsl libcjson xlsxwriter
LUAPKG   := lua5.4

ifeq ($(V),1)
Q :=
else
Q := @
endif

# pkg-config is asked lazily (=), after `deps` may have installed the packages.
DEP_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
LUA_CFLAGS = $(shell pkg-config --cflags $(LUAPKG) 2>/dev/null)
LUA_LIBS   = $(shell pkg-config --libs $(LUAPKG) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(LUA_CFLAGS) -pthread -fPIC -MMD -MP
# the library and the Lua binding export only what carries DCX_API (or luaopen_dcx)
HIDDEN     = -fvisibility=hidden
VERSION   := $(shell sed -n 's/.*DCX_VERSION_STRING "\(.*\)"/\1/p' lib/include/dcx/version.h)
SOMAJOR   := $(firstword $(subst ., ,$(VERSION)))
SONAME    := libdcx.so.$(SOMAJOR)

LIB_SRC   := $(sort $(wildcard lib/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_SRC   := $(sort $(wildcard cli/*.c))
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LUA_SRC   := $(sort $(wildcard bindings/lua/*.c))
LUA_OBJ   := $(LUA_SRC:%.c=$(BUILD)/obj/%.o)
RUN_SRC   := $(sort $(wildcard cli/lua/*.c))
RUN_OBJ   := $(RUN_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))
EXAMPLE_BIN := $(EXAMPLE_SRC:examples/%.c=$(BUILD)/examples/%)

.PHONY: all help deps check test-run demo sanitize faultsim bench fuzz fresh-check install clean

## all: build build/dcx, build/libdcx.a, build/libdcx.so, the Lua module build/dcx.so, examples
all: $(BUILD)/dcx $(BUILD)/libdcx.a $(BUILD)/libdcx.so $(BUILD)/dcx.so $(EXAMPLE_BIN)

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## deps: install missing Debian packages (scripts/install-deps.sh)
deps:
	$(Q)scripts/install-deps.sh

# objects are rebuilt when the flags that shape them change (not for -Werror, which
# changes no object)
FLAGS_STAMP := $(BUILD)/.cflags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(CPPFLAGS) $(HIDDEN)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(CPPFLAGS) $(HIDDEN)' >$@
FORCE:

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdcx.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_OBJ) $(LUA_OBJ): ALL_CFLAGS += $(HIDDEN)

# the shared library carries its SONAME; build/libdcx.so.N beside it lets programs linked
# against build/libdcx.so run from the build tree (LD_LIBRARY_PATH=build)
$(BUILD)/libdcx.so: $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)
	$(Q)ln -sf libdcx.so $(BUILD)/$(SONAME)

# the Lua module for the stock interpreter: the binding without run.c, and libdcx; the
# Lua API itself comes from the interpreter that loads it
LUAMOD_OBJ = $(LUA_OBJ)
$(BUILD)/dcx.so: $(LUAMOD_OBJ) $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared $(CFLAGS) $(LDFLAGS) -o $@ $(LUAMOD_OBJ) $(LIB_OBJ) $(DEP_LIBS)

$(BUILD)/dcx: $(CLI_OBJ) $(RUN_OBJ) $(LUA_OBJ) $(BUILD)/libdcx.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(RUN_OBJ) $(LUA_OBJ) $(BUILD)/libdcx.a $(LUA_LIBS) $(DEP_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/tap.h tests/refcases.h tests/csv_transcript.h $(BUILD)/libdcx.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests $(DEP_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libdcx.a $(DEP_LIBS)

$(BUILD)/examples/%: examples/%.c $(BUILD)/libdcx.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libdcx.a $(DEP_LIBS)

## check: install missing dependencies, build with -Werror, run every test under prove
check: deps
	$(Q)$(MAKE) --no-print-directory DEVELOPER=1 all test-run

# the plot tests decode PNGs to count what is drawn (libpng, a test dependency)
$(BUILD)/tests/pngstat: tests/tools/pngstat.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $$(pkg-config --cflags --libs libpng)

test-run: $(UNIT_BIN) $(BUILD)/dcx $(BUILD)/faultsim.so $(BUILD)/tests/pngstat
	$(Q)DCX="$(CURDIR)/$(BUILD)/dcx" DCX_BUILD="$(CURDIR)/$(BUILD)" DCX_ROOT="$(CURDIR)" \
	  prove -f $(UNIT_BIN) $(sort $(wildcard tests/cli/*.t tests/lua/*.t))

## demo: install dependencies, build, and run the main job on the shipped example data
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(BUILD)/dcx

## fresh-check: as root, debootstrap a minimal Debian 12 root, clone HEAD into it, run `make demo` and `make check` there
fresh-check:
	$(Q)scripts/fresh-check.sh

## sanitize: build into build/sanitize with ASan and UBSan, run every test and the faultsim loop there
sanitize: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/sanitize DEVELOPER=1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" all test-run faultsim

# the failing allocator is preloaded into dcx, so it is never built with the sanitizers
$(BUILD)/faultsim.so: tests/faultsim/faultsim.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(WARN) -O2 -g -fPIC -shared -o $@ $< -ldl -pthread

## faultsim: fail each allocation of each command in turn: "out of memory", never a crash (tests/faultsim/run.sh)
faultsim: $(BUILD)/dcx $(BUILD)/faultsim.so
	$(Q)tests/faultsim/run.sh $(BUILD)/dcx $(BUILD)/faultsim.so

## bench: run the benchmarks, side by side with reference tools where present, ending with a
## one-screen summary table (BENCH_QUICK=1: every line once and small simulations, to try it)
bench:
	$(Q)scripts/install-deps.sh --bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run.sh $(BUILD)

## fuzz: libFuzzer harnesses (clang) for every parser, FUZZ_SECONDS each (default 60)
FUZZ_SECONDS ?= 60
FUZZERS := units summary config assessment responses result csv
fuzz:
	$(Q)scripts/install-deps.sh --fuzz
	$(Q)$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang WARN="-std=c11" \
	  CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/fuzz/libdcx.a
	$(Q)for f in $(FUZZERS); do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS) -Itests/fuzz $(DEP_CFLAGS) \
	    -o build/fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c build/fuzz/libdcx.a $(DEP_LIBS) || exit 1; \
	done
	$(Q)for f in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus-$$f build/fuzz/crashes tests/fuzz/regressions/$$f; \
	  cp tests/fuzz/corpus/$$f/* build/fuzz/corpus-$$f/ 2>/dev/null; \
	  echo "fuzz_$$f: $(FUZZ_SECONDS) s"; \
	  DCX_ROOT=$(CURDIR) build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/$$f- \
	    build/fuzz/corpus-$$f tests/fuzz/regressions/$$f 2>build/fuzz/$$f.log || \
	    { tail -40 build/fuzz/$$f.log; echo "fuzz_$$f found a problem: see build/fuzz/crashes/"; exit 1; }; \
	  grep -E "stat::number_of_executed_units|stat::new_units_added" build/fuzz/$$f.log | tr '\n' ' '; echo; \
	done

## install: install binary, libraries, headers, dcx.pc, Lua module, man page and assessments under PREFIX
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/dcx $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/dcx/assessments $(DESTDIR)$(PREFIX)/lib/lua/5.4
	install -m 755 $(BUILD)/dcx $(DESTDIR)$(PREFIX)/bin/dcx
	install -m 755 $(BUILD)/dcx.so $(DESTDIR)$(PREFIX)/lib/lua/5.4/dcx.so
	install -m 644 $(BUILD)/libdcx.a $(DESTDIR)$(PREFIX)/lib/libdcx.a
	install -m 755 $(BUILD)/libdcx.so $(DESTDIR)$(PREFIX)/lib/libdcx.so.$(VERSION)
	ln -sf libdcx.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libdcx.so
	install -m 644 lib/include/dcx/*.h $(DESTDIR)$(PREFIX)/include/dcx/
	install -m 644 docs/dcx.1 $(DESTDIR)$(PREFIX)/share/man/man1/dcx.1
	$(if $(wildcard assessments/*.json),install -m 644 assessments/*.json $(DESTDIR)$(PREFIX)/share/dcx/assessments/)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
	  dcx.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/dcx.pc

## clean: remove build/
clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(LUA_OBJ:.o=.d) $(RUN_OBJ:.o=.d)
