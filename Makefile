# txqguard: build, demo and test entry points. `make help` lists every target, what it does and
# what it needs. The rules live in mk/, one fragment per concern; this file keeps what several of
# them share. The two commands a fresh machine needs (README):
#   make demo          the VM demo: an unfixed kernel locks up, the guarded one survives, then stats
#   make test          unit tests and every VM suite (what CI runs)
KERNEL ?=
# Every kernel a default test boots is pinned: the archive keeps these ABIs, and a test must not
# change its verdict when Debian publishes the next one (make vmtest-newest checks that one).
UNFIXED ?= 5.10.0-32-amd64
FIXED ?= 5.10.0-44-amd64
K61 ?= 6.1.0-56-amd64
# Unfixed, but not one the live-patch form was verified against.
UNLISTED ?= 5.10.0-30-amd64
ARM64 ?= 5.10.0-32-arm64
# The fleet's kernel rebuilt (scripts/oe-kernel): found prepared or skipped, never fetched.
OE_X86 ?= 5.10.0-136.18.0.94.oe2203sp1.x86_64
OE_ARM64 ?= 5.10.0-136.18.0.94.oe2203sp1.aarch64
VM_KERNELS := $(UNFIXED) $(FIXED) $(K61) $(UNLISTED)

# Here because both the test programs' rules (mk/build.mk) and bench (mk/bench.mk) choose by it.
HOST_ARCH := $(shell uname -m)

# One version source: TXQGUARD_VERSION in include/uapi/linux/txqguard.h, read by the module,
# txqguardctl, dkms.conf, the RPM spec, the Debian changelog (written by scripts/build-deb) and the
# tarballs.
VERSION := $(shell sed -n 's/^\#define TXQGUARD_VERSION "\(.*\)"/\1/p' include/uapi/linux/txqguard.h)

# $(call compile-c,<compiler>): the one recipe of every C program the tests build, so their
# warnings stay errors everywhere.
define compile-c
mkdir -p $(@D)
$(1) -O2 -Wall -Wextra -Werror -o $@ $<
endef

# Named, not left to whichever fragment's rule comes first.
.DEFAULT_GOAL := all

include mk/build.mk
include mk/test.mk
include mk/vm.mk
include mk/bench.mk
include mk/install.mk
include mk/dkms.mk
include mk/packages.mk
include mk/fleet.mk
include mk/help.mk
