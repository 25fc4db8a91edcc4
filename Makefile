# txqguard: build, demo and test entry points.
#   make demo          the VM demo: an unfixed kernel locks up, the guarded one survives, then stats
#   make test          unit tests and every VM suite (what CI runs)
#   make kmod          txqguard.ko for the running kernel (/lib/modules/$(uname -r)/build)
#   make kmod KERNEL=<id>   txqguard.ko for a fetched Debian kernel, in build/<id>/
KERNEL ?=
UNFIXED ?= 5.10.0-32-amd64
FIXED ?= 5.10.0-44-amd64
K61 ?= 6.1-amd64
VM_KERNELS := $(UNFIXED) $(FIXED) $(K61)

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

build/tools/%/tapflood: tests/tools/tapflood.c
	mkdir -p $(@D)
	$(if $(filter $*,$(HOST_ARCH)),$(CC),$*-linux-gnu-gcc -static) -O2 -Wall -Wextra -Werror -o $@ $<

unit: ctl
	cd build/ctl && ctest --output-on-failure

vmtest: tools vm-kmods
	tests/vm/suite.sh

vmtest-ctl: ctl tools vm-kmods
	tests/vm/suite-ctl.sh

# Unload under fire, per attachment (not in make test: see tests/vm/suite-unload.sh).
vmtest-unload: tools vm-kmods
	tests/vm/suite-unload.sh

test: unit tools tools-arm64 vm-kmods
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) TXQG_KERNEL_UNFIXED=$(UNFIXED) \
		tests/vm/all.sh suite.sh suite-ctl.sh suite-arm64.sh suite-dkms.sh

# The arm64 suite (about 3 min): the unfixed arm64 5.10 under TCG, ftrace and breakpoint attachments.
ARM64 ?= 5.10.0-32-arm64
vmtest-arm64: deps-arm64 tools-arm64
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) tests/vm/suite-arm64.sh

# make bench [KERNEL=<id>]: tests/bench/forward.sh in a VM of that kernel -> bench/results/<id>.txt
BENCH_KERNEL = $(or $(KERNEL),$(UNFIXED))
BENCH_ARGS ?=
bench: deps $(if $(filter %-arm64,$(BENCH_KERNEL)),tools-arm64,tools)
	scripts/build-kmod $(BENCH_KERNEL)
	tests/bench/run.sh $(BENCH_KERNEL) $(BENCH_ARGS)

demo: deps tools
	scripts/build-kmod $(UNFIXED)
	tests/demo.sh

clean:
	rm -rf build
	$(MAKE) -C kmod clean 2>/dev/null || true

distclean: clean
	rm -rf .cache

.PHONY: all deps deps-arm64 kmod vm-kmods ctl tools tools-arm64 unit vmtest vmtest-ctl vmtest-unload vmtest-arm64 test bench \
	demo clean distclean

# The DKMS source tree: what /usr/src/txqguard-<version>/ holds on a host.
VERSION := $(shell sed -n 's/^\#define TXQGUARD_VERSION "\(.*\)"/\1/p' include/uapi/linux/txqguard.h)
DKMS_DIR = $(DESTDIR)/usr/src/txqguard-$(VERSION)
dkms-source:
	install -d $(DKMS_DIR)/kmod $(DKMS_DIR)/include/uapi/linux
	install -m 0644 dkms.conf $(DKMS_DIR)/
	install -m 0644 kmod/*.c kmod/*.h kmod/Kbuild kmod/Makefile $(DKMS_DIR)/kmod/
	install -m 0644 include/uapi/linux/txqguard.h $(DKMS_DIR)/include/uapi/linux/

dkmstest: deps tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/vm/suite-dkms.sh

.PHONY: dkms-source dkmstest
