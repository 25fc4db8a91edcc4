# make test and the checks that need no VM of their own.

##@ Tests
# make test bounds the fuzzing to TEST_FUZZ_SECONDS per target; make fuzz runs longer.
TEST_FUZZ_SECONDS ?= 8
# The arm64 guest runs the shipped aarch64 txqguardctl (make ship-ctl), which the packaging checks
# audit: one arm64 build instead of two.
## test: what CI runs: helpcheck, shellcheck, unit, kmod-scan, installtest, fuzz (TEST_FUZZ_SECONDS,
##   8 s a target), the VM suites (amd64, txqguardctl, arm64, DKMS, openEuler where prepared; two
##   at a time) and packagetest; needs root, network; boots many VMs, the longest target
test: helpcheck shellcheck bullseye-root-bg unit kmod-scan tools tools-arm64 vm-kmods ship-ctl
	tests/install/check.sh
	TXQG_FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) tests/fuzz/run.sh
	scripts/build-kmod $(ARM64)
	TXQG_KERNEL_ARM64=$(ARM64) TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_KERNEL_UNLISTED=$(UNLISTED) \
		TXQG_KERNEL_FIXED=$(FIXED) TXQG_KERNEL_61=$(K61) TXQG_KERNEL_OE_X86=$(OE_X86) \
		TXQG_KERNEL_OE_ARM64=$(OE_ARM64) tests/vm/all.sh \
		suite.sh:1/3 suite-ctl.sh suite.sh:2/3 suite-arm64.sh suite.sh:3/3 suite-dkms.sh suite-oe.sh
	$(MAKE) packagetest

# First among make test's prerequisites: it takes a second, and a missing help line should fail
# the run before the VM suites, not after them.
## helpcheck: every .PHONY target has its make help line (tests/make-help-check.sh); needs no root
helpcheck:
	tests/make-help-check.sh

# Second: as quick, and a finding in a test script is cheaper to hear of before the VMs boot.
## shellcheck: shellcheck over every shell script of tests/, scripts/, .ci/, deploy/, packaging/
##   (tests/shellcheck.sh; .shellcheckrc); needs shellcheck (install-deps), else SKIP (FAIL in CI)
shellcheck:
	tests/shellcheck.sh

## unit: ctl's unit tests (ctest) and kmod-unit; needs root for deps
unit: ctl kmod-unit
	cd build/ctl && ctest --output-on-failure

## kmod-unit: the module's machine-code scans (kmod/insn_scan.h) on fixture encodings of both
##   arches, in user space; needs $(CC)
kmod-unit: build/kmod-unit/insn_scan_test
	build/kmod-unit/insn_scan_test

## build/kmod-unit/insn_scan_test: the program kmod-unit runs; needs $(CC)
build/kmod-unit/insn_scan_test: tests/kmod-unit/insn_scan_test.c tests/kmod-unit/kernel_shim.h kmod/insn_scan.h
	$(call compile-c,$(CC))

## kmod-scan: the module's machine-code scans on the real objects of every pinned kernel, both
##   arches, and of the openEuler builds where prepared (tests/kmod-unit/real-objects.sh): the
##   ovs_vport_send layout and the pick sites; root for deps-arm64, network the first time
kmod-scan: deps-arm64 build/kmod-unit/real_objects
	tests/kmod-unit/real-objects.sh $(UNFIXED) $(FIXED) $(UNLISTED) $(K61) $(ARM64) $(OE_X86) $(OE_ARM64)

## build/kmod-unit/real_objects: the program kmod-scan runs; needs $(CC)
build/kmod-unit/real_objects: tests/kmod-unit/real_objects.c tests/kmod-unit/kernel_shim.h kmod/insn_scan.h
	$(call compile-c,$(CC))

## installtest: install, uninstall and dkms-tarball into scratch directories, checked (units,
##   man page, alert rules); a missing tool skips its check, fails it under CI; root for deps
installtest:
	tests/install/check.sh

## fuzz: every libFuzzer target of ctl/fuzz/ (clang, ASan, UBSan), TXQG_FUZZ_SECONDS (default 15) each;
##   needs root for deps
fuzz: deps
	tests/fuzz/run.sh

.PHONY: test helpcheck shellcheck unit kmod-unit kmod-scan installtest fuzz
