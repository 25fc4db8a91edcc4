# txqguard: build, demo and test entry points.
#   make demo          the VM demo: an unfixed kernel locks up, the guarded one survives, then stats
#   make test          unit tests and the VM suite (what CI runs)
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

tools: deps build/tools/tapflood

build/tools/tapflood: tests/tools/tapflood.c
	mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

unit: ctl
	cd build/ctl && ctest --output-on-failure

vmtest: tools vm-kmods
	tests/vm/suite.sh

test: unit vmtest

demo: deps tools
	scripts/build-kmod $(UNFIXED)
	tests/demo.sh

clean:
	rm -rf build
	$(MAKE) -C kmod clean 2>/dev/null || true

distclean: clean
	rm -rf .cache

.PHONY: all deps kmod vm-kmods ctl tools unit vmtest test demo clean distclean
