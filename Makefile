# txqguard: build, demo and test entry points.
#   make demo          the VM demo: an unfixed kernel locks up, the guarded one survives, then stats
#   make test          unit tests and every VM suite (what CI runs)
#   make kmod          txqguard.ko for the running kernel (/lib/modules/$(uname -r)/build)
#   make kmod KERNEL=<id>   txqguard.ko for a fetched Debian kernel, in build/<id>/
KERNEL ?=
# Every kernel a default test boots is pinned: the archive keeps these ABIs, and a test must not
# change its verdict when Debian publishes the next one (make vmtest-newest checks that one).
UNFIXED ?= 5.10.0-32-amd64
FIXED ?= 5.10.0-44-amd64
K61 ?= 6.1.0-56-amd64
# Unfixed, but not one the live-patch form was verified against.
UNLISTED ?= 5.10.0-30-amd64
VM_KERNELS := $(UNFIXED) $(FIXED) $(K61) $(UNLISTED)

all: kmod ctl

deps:
	scripts/install-deps

deps-arm64:
	TXQG_DEPS_ARM64=1 scripts/install-deps

kmod:
ifeq ($(KERNEL),)
	$(MAKE) -C kmod
else
	scripts/build-kmod $(KERNEL)
endif

vm-kmods: deps
	for k in $(VM_KERNELS); do scripts/build-kmod $$k || exit 1; done

ctl: deps
	cmake -S ctl -B build/ctl -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/ctl -j2

# Test programs per machine name (uname -m), which is how the guest scripts find them. Other
# architectures are cross-built, statically so they need nothing from the guest's root.
HOST_ARCH := $(shell uname -m)
tools: deps build/tools/$(HOST_ARCH)/tapflood
tools-arm64: deps-arm64 build/tools/aarch64/tapflood

build/tools/%/tapflood: tests/tools/tapflood.c tests/tools/frame.h
	mkdir -p $(@D)
	$(if $(filter $*,$(HOST_ARCH)),$(CC),$*-linux-gnu-gcc -static) -O2 -Wall -Wextra -Werror -o $@ $<

# txqguardctl for arm64 guests and hosts. Unlike the test programs it links dynamically: Debian ships
# no static libkmod or libmnl. The arm64 libraries come from multiarch (deps-arm64), and
# tests/vm/arm64-rootfs puts their runtime halves in the guest's root. Only the controller: the
# unit tests and test drivers are built and run natively (make ctl).
ctl-arm64: deps-arm64
	cmake -S ctl -B build/ctl-aarch64 -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/ctl/cmake/aarch64-linux-gnu.cmake \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/ctl-aarch64 -j2 --target txqguardctl
.PHONY: ctl-arm64

unit: ctl kmod-unit
	cd build/ctl && ctest --output-on-failure

# The module's machine-code scans (kmod/insn_scan.h), run in user space.
kmod-unit: build/kmod-unit/insn_scan_test
	build/kmod-unit/insn_scan_test

build/kmod-unit/insn_scan_test: tests/kmod-unit/insn_scan_test.c tests/kmod-unit/kernel_shim.h kmod/insn_scan.h
	mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

vmtest: ctl tools vm-kmods
	tests/vm/suite.sh

vmtest-ctl: ctl tools vm-kmods
	tests/vm/suite-ctl.sh

# Opt-in, not in make test: the newest 6.1 kernel in the archive today (or NEWEST=<id>). One the
# live-patch form was not verified against must refuse it in one line while txqguardctl load
# (auto) falls back to txqguard.ko and verify passes; a listed one must take the live patch.
NEWEST ?= 6.1-newest-amd64
vmtest-newest: ctl tools
	id=$$(scripts/kernel-fetch --resolve $(NEWEST)) && scripts/build-kmod $$id && \
		TXQG_KERNEL_NEWEST=$$id tests/vm/suite-newest.sh

# Unload under fire, the long run: 200 cycles (make test runs 6; see tests/vm/suite-unload.sh).
vmtest-unload: tools vm-kmods
	tests/vm/suite-unload.sh

# make test bounds the fuzzing to TEST_FUZZ_SECONDS per target; make fuzz runs longer.
TEST_FUZZ_SECONDS ?= 8
# The arm64 guest runs the shipped aarch64 txqguardctl (make ship-ctl), which the packaging checks
# audit: one arm64 build instead of two.
test: unit tools tools-arm64 vm-kmods ship-ctl
	tests/install/check.sh
	TXQG_FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) tests/fuzz/run.sh
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_KERNEL_UNLISTED=$(UNLISTED) \
		TXQG_KERNEL_FIXED=$(FIXED) TXQG_KERNEL_61=$(K61) tests/vm/all.sh suite.sh suite-ctl.sh suite-arm64.sh suite-dkms.sh
	$(MAKE) packagetest

# The arm64 suite (5-15 min): the unfixed arm64 5.10 under TCG, ftrace and breakpoint attachments,
# and the cross-built txqguardctl's session in the arm64 guest.
ARM64 ?= 5.10.0-32-arm64
vmtest-arm64: deps-arm64 tools-arm64 ship-ctl
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) tests/vm/suite-arm64.sh

# make bench [KERNEL=<id>] [BENCH_ARGS="forward.sh options"] [BENCH_ICOUNT_RUNS=N]: tests/bench/forward.sh
# in a VM of that kernel, by the wall clock -> bench/results/<id>.txt (with the load/unload stall on
# amd64), then N (1) times with the guest's clock counting instructions (vmrun --icount), whose
# ratios the host's load cannot move -> bench/results/<id>.<n>.icount.txt; with N > 1,
# tests/bench/agree.sh says how far the runs differ. Not part of make test: about an hour.
BENCH_KERNEL = $(or $(KERNEL),$(UNFIXED))
BENCH_ICOUNT_RUNS ?= 1
BENCH_ARGS ?=
BENCH_ARCH = $(if $(filter %-arm64,$(BENCH_KERNEL)),aarch64,$(HOST_ARCH))
bench: deps $(if $(filter %-arm64,$(BENCH_KERNEL)),tools-arm64 ship-ctl,tools ctl-bin) \
		build/tools/$(BENCH_ARCH)/pktflood build/tools/$(BENCH_ARCH)/stallmon
	scripts/build-kmod $(BENCH_KERNEL)
	tests/bench/run.sh $(BENCH_KERNEL) $(BENCH_ARGS)
	for n in $$(seq $(BENCH_ICOUNT_RUNS)); do \
		TXQG_BENCH_ICOUNT=1 TXQG_BENCH_TAG=$$n tests/bench/run.sh $(BENCH_KERNEL) --ctl-runs 0 $(BENCH_ARGS) || exit 1; \
	done
	[ $(BENCH_ICOUNT_RUNS) -lt 2 ] || tests/bench/agree.sh bench/results/$(BENCH_KERNEL).*.icount.txt

build/tools/%/pktflood: tests/tools/pktflood.c tests/tools/frame.h
	mkdir -p $(@D)
	$(if $(filter $*,$(HOST_ARCH)),$(CC),$*-linux-gnu-gcc -static) -O2 -Wall -Wextra -Werror -o $@ $<

build/tools/%/stallmon: tests/tools/stallmon.c
	mkdir -p $(@D)
	$(if $(filter $*,$(HOST_ARCH)),$(CC),$*-linux-gnu-gcc -static) -O2 -Wall -Wextra -Werror -o $@ $<

demo: deps tools
	scripts/build-kmod $(UNFIXED)
	tests/demo.sh

clean:
	rm -rf build
	$(MAKE) -C kmod clean 2>/dev/null || true

distclean: clean
	rm -rf .cache

.PHONY: all deps deps-arm64 kmod vm-kmods ctl tools tools-arm64 unit kmod-unit vmtest vmtest-ctl vmtest-newest \
	vmtest-unload vmtest-arm64 test bench \
	demo clean distclean

# The DKMS source tree: what /usr/src/txqguard-<version>/ holds on a host.
VERSION := $(shell sed -n 's/^\#define TXQGUARD_VERSION "\(.*\)"/\1/p' include/uapi/linux/txqguard.h)
DKMS_DIR = $(DESTDIR)/usr/src/txqguard-$(VERSION)
dkms-source:
	install -d $(DKMS_DIR)/kmod $(DKMS_DIR)/include/uapi/linux
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf >$(DKMS_DIR)/dkms.conf
	chmod 0644 $(DKMS_DIR)/dkms.conf
	install -m 0644 kmod/*.c kmod/*.h kmod/*.S kmod/Kbuild kmod/Makefile $(DKMS_DIR)/kmod/
	install -d $(DKMS_DIR)/kmod/lp
	install -m 0644 kmod/lp/*.c kmod/lp/*.S $(DKMS_DIR)/kmod/lp/
	install -m 0644 include/uapi/linux/txqguard.h $(DKMS_DIR)/include/uapi/linux/

dkmstest: deps tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/vm/suite-dkms.sh

.PHONY: dkms-source dkmstest

# make install [DESTDIR=...] [PREFIX=/usr]: txqguardctl and its man page, the systemd units and the
# Prometheus alert rules; make uninstall takes them away again. The module goes in through DKMS.
PREFIX ?= /usr
SBINDIR = $(PREFIX)/sbin
MAN8DIR = $(PREFIX)/share/man/man8
SHAREDIR = $(PREFIX)/share/txqguard
# Debian 12's packages, and its systemd.pc (systemdsystemunitdir), put units in /lib/systemd/system;
# any other PREFIX (/usr/local) gets PREFIX/lib/systemd/system, which systemd searches as well.
UNITDIR = $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
UNITS = txqguard.service txqguard-metrics.service txqguard-metrics.timer txqguard-verify.service txqguard-verify.timer

build/man/txqguardctl.8: packaging/man/txqguardctl.8.scd | deps
	mkdir -p $(@D)
	scdoc <$< >$@.tmp
	mv $@.tmp $@

man: build/man/txqguardctl.8

# Only the program: installing needs neither the unit tests nor the test tools built.
ctl-bin: deps
	cmake -S ctl -B build/ctl -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/ctl -j2 --target txqguardctl

# The units name /usr/sbin/txqguardctl; under another PREFIX they must name that one.
install: ctl-bin man
	install -D -m 0755 build/ctl/txqguardctl $(DESTDIR)$(SBINDIR)/txqguardctl
	install -D -m 0644 build/man/txqguardctl.8 $(DESTDIR)$(MAN8DIR)/txqguardctl.8
	install -d $(DESTDIR)$(UNITDIR)
	for u in $(UNITS); do \
		sed 's|/usr/sbin/txqguardctl|$(SBINDIR)/txqguardctl|g' packaging/systemd/$$u \
			>$(DESTDIR)$(UNITDIR)/$$u && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -D -m 0644 packaging/prometheus/txqguard.rules.yml $(DESTDIR)$(SHAREDIR)/txqguard.rules.yml

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/txqguardctl $(DESTDIR)$(MAN8DIR)/txqguardctl.8 \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) $(DESTDIR)$(SHAREDIR)/txqguard.rules.yml
	rmdir $(DESTDIR)$(SHAREDIR) 2>/dev/null || true

# The DKMS source in the layout of `dkms mktarball --source-only`, which `dkms ldtarball` loads
# on a host. Plain tar, so it needs neither root nor a DKMS tree; fixed owners, order and times,
# so the same tree gives the same bytes.
DKMS_TARBALL = build/txqguard-$(VERSION)-source-only.dkms.tar.gz
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
dkms-tarball:
	rm -rf build/dkms-tarball
	$(MAKE) -s dkms-source DKMS_DIR=$(CURDIR)/build/dkms-tarball/dkms_source_tree
	mkdir -p build/dkms-tarball/dkms_main_tree
	tar -C build/dkms-tarball --sort=name --mtime=@$(SOURCE_DATE_EPOCH) --owner=0 --group=0 \
		--numeric-owner -cf build/dkms-tarball.tar .
	rm -rf build/dkms-tarball
	gzip -9nf build/dkms-tarball.tar
	mv build/dkms-tarball.tar.gz $(DKMS_TARBALL)
	@echo $(DKMS_TARBALL)

installtest:
	tests/install/check.sh

.PHONY: ctl-bin man install uninstall dkms-tarball installtest

# make fuzz: every libFuzzer target of ctl/fuzz/ (clang, ASan, UBSan) for TXQG_FUZZ_SECONDS (15) each.
fuzz: deps
	tests/fuzz/run.sh

.PHONY: fuzz

# make churn: OVS port churn at length (tests/vm/suite-churn.sh, not in make test): 1000 cycles per
# shape (plain, peer in a deleted namespace, txhash guard alone) under a tap flood, about 20 min.
churn: ctl tools
	scripts/build-kmod $(UNFIXED)
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/vm/suite-churn.sh

.PHONY: churn

# make vmtest-debug: the module on 5.10.223 built from Debian's source with KASAN, lockdep and
# kmemleak, booted with panic_on_warn=1 (make debug-kernel: scripts/debug-kernel, cached in .cache/):
# the reproducer unguarded and guarded, churn, unload under fire, kmemleak after each unload
# (tests/vm/suite-debug.sh). Not in make test: about 30 min to build the kernel the first time, then
# about 20 min per run.
DEBUG_KERNEL := 5.10.223-debug-amd64
debug-kernel: deps
	scripts/debug-kernel

vmtest-debug: debug-kernel ctl tools
	scripts/build-kmod $(DEBUG_KERNEL)
	TXQG_KERNEL_DEBUG=$(DEBUG_KERNEL) tests/vm/suite-debug.sh

.PHONY: debug-kernel vmtest-debug

# ---- Packages (docs/install.md) ---------------------------------------------------------------
# One version source: TXQGUARD_VERSION in include/uapi/linux/txqguard.h ($(VERSION) above), read by
# the module, txqguardctl, dkms.conf, the RPM spec, the Debian changelog (written by
# scripts/build-deb) and the tarballs.
#   make dist            build/dist/txqguard-<version>.tar.gz and SHA256SUMS
#   make ship-ctl        the txqguardctl that packages ship (glibc >= 2.28, x86_64 and aarch64), built
#                        in a cached Debian 11 root; its tarballs join build/dist and SHA256SUMS
#   make rpm             txqguard, txqguard-debuginfo, txqguard-dkms RPMs and the SRPM (build/rpm/)
#   make rpm-kmod KERNEL_DIR=<devel tree> [KMOD_MAKE_ARGS=CC=gcc]   kmod-txqguard-<release>
#   make deb             txqguard, txqguard-dbgsym and txqguard-dkms debs, amd64 and arm64 (build/deb/)
#   make deb-kmod KERNEL=<id>   txqguard-modules-<id>, the module built here for one Debian kernel
#                        (build/deb-kmod/; the Debian analogue of kmod-txqguard-<release>)
#   make packagetest     every check of the above (tests/packaging/run.sh); part of make test
#   make packagetest-vm  the debs installed, started, verified and purged in a VM booted with systemd
#                        (about 12 min; not in make test, .ci/run runs it)
SHIP_ARCHES ?= x86_64 aarch64
KERNEL_DIR ?=
KMOD_MAKE_ARGS ?=

# The second DKMS module, the optional live-patch form (dkms-lp.conf says why it is one of its own).
DKMS_LP_DIR = $(DESTDIR)/usr/src/txqguard-lp-$(VERSION)
dkms-source-lp:
	$(MAKE) -s dkms-source DKMS_DIR=$(DKMS_LP_DIR)
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms-lp.conf >$(DKMS_LP_DIR)/dkms.conf

dkms-sources: dkms-source dkms-source-lp

dist:
	scripts/dist-source

ship-ctl: deps
	scripts/ship-ctl $(SHIP_ARCHES)

rpm: deps dist ship-ctl
	scripts/build-rpm

rpm-kmod: deps dist
	@test -n "$(KERNEL_DIR)" || { echo "make rpm-kmod: set KERNEL_DIR to the kernel's devel tree (/usr/src/kernels/<release>)" >&2; exit 2; }
	scripts/build-rpm --kmod $(KERNEL_DIR) $(KMOD_MAKE_ARGS)

deb: deps deps-arm64 dist ship-ctl
	scripts/build-deb

deb-kmod: deps
	@test -n "$(KERNEL)" || { echo "make deb-kmod: set KERNEL to a Debian kernel id (5.10.0-32-amd64)" >&2; exit 2; }
	scripts/build-deb-kmod $(KERNEL)

packagetest: deps deps-arm64 tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/packaging/run.sh

packagetest-vm: deps deps-arm64 tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_PACKAGING_ONLY="dist ship deb deb-vm" tests/packaging/run.sh

.PHONY: dkms-source-lp dkms-sources dist ship-ctl rpm rpm-kmod deb deb-kmod packagetest packagetest-vm

# ---- Fleet rollout (deploy/ansible, README "Fleet rollout") -------------------------------------
#   make fleetlint       ansible-lint and ansible-playbook --syntax-check on deploy/ansible, and the
#                        role's version table against the controller's (tests/fleet/fix-table.sh)
#   make fleettest       rollout.yml, its check mode, a broken canary and rollback.yml against three
#                        VMs reached over ssh on loopback ports (tests/fleet/run.sh; about 20 min;
#                        not in make test: .ci/run runs it after it)
fleetlint: deps ctl
	cd deploy/ansible && ansible-lint --offline rollout.yml rollback.yml roles/txqguard
	cd deploy/ansible && for p in rollout.yml rollback.yml; do \
		ansible-playbook -i inventory.example.yml --syntax-check $$p >/dev/null || exit 1; done
	tests/fleet/fix-table.sh

fleettest: fleetlint deb
	scripts/build-deb-kmod $(UNFIXED)
	TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_KERNEL_FIXED=$(FIXED) tests/fleet/run.sh

.PHONY: fleetlint fleettest
