# The demo, the VM suites of make test one at a time, and the long VM runs make test leaves out.

##@ VM suites (QEMU, no KVM needed; kernels fetched from Debian into .cache/ on first use)
## demo: the unfixed 5.10 locks up unguarded and survives guarded, then the guard's stats and
##   events; needs root for deps, network; boots VMs
demo: deps tools
	scripts/build-kmod $(UNFIXED)
	tests/demo.sh

## vmtest: tests/vm/suite.sh alone, the amd64 suite of make test; needs root for deps; boots VMs
vmtest: ctl tools vm-kmods
	tests/vm/suite.sh

## vmtest-ctl: tests/vm/suite-ctl.sh, txqguardctl in guests; about 4 min; needs root for deps;
##   boots VMs
vmtest-ctl: ctl tools vm-kmods
	tests/vm/suite-ctl.sh

# Opt-in, not in make test: the newest 6.1 kernel in the archive today (or NEWEST=<id>). One the
# live-patch form was not verified against must refuse it in one line while txqguardctl load
# (auto) falls back to txqguard.ko and verify passes; a listed one must take the live patch.
NEWEST ?= 6.1-newest-amd64
## vmtest-newest: the newest 6.1 in the archive (or NEWEST=<id>), a kernel no test pins; under a
##   minute of VM time; needs root for deps, network; boots a VM
vmtest-newest: ctl tools
	id=$$(scripts/kernel-fetch --resolve $(NEWEST)) && scripts/build-kmod $$id && \
		TXQG_KERNEL_NEWEST=$$id tests/vm/suite-newest.sh

# Unload under fire, the long run: 200 cycles (make test runs 6; see tests/vm/suite-unload.sh).
## vmtest-unload: unload under fire, 200 cycles; about 16 min; needs root for deps; boots VMs
vmtest-unload: tools vm-kmods
	tests/vm/suite-unload.sh

# The arm64 suite (5-15 min): the unfixed arm64 5.10 under TCG, ftrace and breakpoint attachments,
# and the cross-built txqguardctl's session in the arm64 guest.
## vmtest-arm64: tests/vm/suite-arm64.sh on the pinned arm64 5.10 (ARM64); 5 to 15 min; needs
##   root for deps-arm64 and ship-ctl; boots arm64 VMs
vmtest-arm64: deps-arm64 tools-arm64 ship-ctl
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) tests/vm/suite-arm64.sh

# The fleet's kernel, openEuler 22.03 SP1's 5.10.0-136 line rebuilt by scripts/oe-kernel (both
# arches, tens of minutes each): taken from .cache/kernels or the prebuilt kernels (README,
# "Prebuilt kernels"); a kernel in neither is reported SKIPPED, never passed. make test runs it.
## vmtest-oe: tests/vm/suite-oe.sh on the openEuler kernels (OE_X86, OE_ARM64) where prepared;
##   needs root for deps-arm64 and ship-ctl; boots amd64 and arm64 VMs
vmtest-oe: deps-arm64 tools tools-arm64 ship-ctl
	TXQG_KERNEL_OE_X86=$(OE_X86) TXQG_KERNEL_OE_ARM64=$(OE_ARM64) tests/vm/suite-oe.sh

## dkmstest: tests/vm/suite-dkms.sh, Debian's dkms round trip, then the module it built in a VM;
##   needs root for deps; boots a VM
dkmstest: deps tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/vm/suite-dkms.sh

## churn: OVS port churn at length, 1000 cycles per shape (plain, peer in a deleted namespace,
##   txhash guard alone) under a tap flood; about 20 min; needs root for deps; boots VMs
churn: ctl tools
	scripts/build-kmod $(UNFIXED)
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/vm/suite-churn.sh

# make vmtest-debug: the module on 5.10.223 built from Debian's source with KASAN, lockdep and
# kmemleak, booted with panic_on_warn=1 (make debug-kernel: scripts/debug-kernel, cached in .cache/):
# the reproducer unguarded and guarded, churn, unload under fire, kmemleak after each unload
# (tests/vm/suite-debug.sh).
DEBUG_KERNEL := 5.10.223-debug-amd64
## debug-kernel: 5.10.223 with KASAN, lockdep and kmemleak from Debian's source, cached in .cache/;
##   about 30 min the first time; needs root for deps, network
debug-kernel: deps
	scripts/debug-kernel

# make oe-kernels: the fleet's kernel, openEuler 22.03 SP1 5.10.0-136.18.0.94, rebuilt from the local
# git mirrors of its public reconstruction (scripts/oe-kernel; README, "The fleet's kernel, rebuilt")
# for x86_64 and arm64 into .cache/kernels/5.10.0-136.18.0.94.oe2203sp1.{x86_64,aarch64}.
## oe-kernels: the fleet's openEuler 22.03 SP1 kernel for x86_64 and arm64 from local git mirrors,
##   with bullseye's gcc 10, cached in .cache/; about 1 h the first time; needs root, network once
oe-kernels: deps
	scripts/oe-kernel x86_64 arm64

## vmtest-debug: tests/vm/suite-debug.sh on the debug kernel, panic_on_warn=1; about 20 min a run
##   (plus debug-kernel's first build); needs root for deps; boots VMs
vmtest-debug: debug-kernel ctl tools
	scripts/build-kmod $(DEBUG_KERNEL)
	TXQG_KERNEL_DEBUG=$(DEBUG_KERNEL) tests/vm/suite-debug.sh

.PHONY: vmtest-oe demo vmtest vmtest-ctl vmtest-newest vmtest-unload vmtest-arm64 dkmstest churn debug-kernel \
	vmtest-debug oe-kernels
