# What is built: the module, txqguardctl and the test programs, and the Debian packages they need.

##@ Build
## all: kmod and ctl; needs the running kernel's headers, root for deps
all: kmod ctl

## deps: the Debian packages building and testing need; needs root if any is missing
deps:
	scripts/install-deps

## deps-arm64: deps, plus the aarch64 cross tool chain and ctl's arm64 libraries; needs root as deps
deps-arm64:
	TXQG_DEPS_ARM64=1 scripts/install-deps

## kmod: txqguard.ko for the running kernel, against /lib/modules/<release>/build, or
##   with KERNEL=<id> for a Debian kernel, fetched into .cache/ (network), built in build/<id>/
kmod:
ifeq ($(KERNEL),)
	$(MAKE) -C kmod
else
	scripts/build-kmod $(KERNEL)
endif

## vm-kmods: the module for every pinned VM kernel; needs root for deps, network the first time
vm-kmods: deps
	for k in $(VM_KERNELS); do scripts/build-kmod $$k || exit 1; done

# ctl and ctl-bin configure the same tree and differ only in what they build.
CTL_CONFIGURE = cmake -S ctl -B build/ctl -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

## ctl: txqguardctl, its unit tests and test drivers in build/ctl; needs root for deps
ctl: deps
	$(CTL_CONFIGURE)
	cmake --build build/ctl -j2

# Only the program: installing needs neither the unit tests nor the test tools built.
## ctl-bin: only txqguardctl in build/ctl (what install takes); needs root for deps
ctl-bin: deps
	$(CTL_CONFIGURE)
	cmake --build build/ctl -j2 --target txqguardctl

# txqguardctl for arm64 guests and hosts. Unlike the test programs it links dynamically: Debian ships
# no static libkmod or libmnl. The arm64 libraries come from multiarch (deps-arm64), and
# tests/vm/arm64-rootfs puts their runtime halves in the guest's root. Only the controller: the
# unit tests and test drivers are built and run natively (make ctl).
## ctl-arm64: txqguardctl cross-built for arm64 in build/ctl-aarch64; needs root for deps-arm64
ctl-arm64: deps-arm64
	cmake -S ctl -B build/ctl-aarch64 -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/ctl/cmake/aarch64-linux-gnu.cmake \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/ctl-aarch64 -j2 --target txqguardctl

## tools: build/tools/<machine>/tapflood for this machine, the VM suites' flood; needs root for deps
tools: deps build/tools/$(HOST_ARCH)/tapflood
## tools-arm64: tapflood cross-built for aarch64 guests; needs root for deps-arm64
tools-arm64: deps-arm64 build/tools/aarch64/tapflood

# Test programs per machine name (uname -m), which is how the guest scripts find them. Other
# architectures are cross-built, statically so they need nothing from the guest's root.
tool-cc = $(if $(filter $*,$(HOST_ARCH)),$(CC),$*-linux-gnu-gcc -static)
## build/tools/<machine>/tapflood, pktflood, stallmon: one test program; needs $(CC) for this
##   machine, <machine>-linux-gnu-gcc (deps-arm64) for another
build/tools/%/tapflood: tests/tools/tapflood.c tests/tools/frame.h
	$(call compile-c,$(tool-cc))

build/tools/%/pktflood: tests/tools/pktflood.c tests/tools/frame.h
	$(call compile-c,$(tool-cc))

build/tools/%/stallmon: tests/tools/stallmon.c
	$(call compile-c,$(tool-cc))

## clean: remove build/ and the module's kbuild output
clean:
	rm -rf build
	$(MAKE) -C kmod clean 2>/dev/null || true

## distclean: clean, and .cache/: the fetched kernels, the debug kernel, the Debian roots
distclean: clean
	rm -rf .cache

.PHONY: all deps deps-arm64 kmod vm-kmods ctl ctl-bin ctl-arm64 tools tools-arm64 clean distclean
