# Packages (docs/install.md): the source tarball, the shipped txqguardctl, RPMs and debs, all of
# one $(VERSION).

##@ Packages (docs/install.md)
SHIP_ARCHES ?= x86_64 aarch64
KERNEL_DIR ?=
KMOD_MAKE_ARGS ?=

## dist: build/dist/txqguard-<version>.tar.gz and SHA256SUMS
dist:
	scripts/dist-source

## ship-ctl: the txqguardctl packages ship (glibc >= 2.28; SHIP_ARCHES: x86_64 aarch64), built in
##   a Debian 11 root cached in .cache/; its tarballs join build/dist; needs root, network
ship-ctl: deps
	scripts/ship-ctl $(SHIP_ARCHES)

# The root's debootstrap waits mostly on the archive, so make test starts it before the compiles
# rather than queueing it behind them (ship-ctl waits for it under the script's lock).
## bullseye-root-bg: start preparing ship-ctl's Debian 11 root in the background (log in
##   build/bullseye-root.log); needs root, network
bullseye-root-bg: deps
	scripts/bullseye-root --background build/bullseye-root.log

## rpm: txqguard, txqguard-debuginfo, txqguard-dkms RPMs and the SRPM in build/rpm/; needs root
##   for deps and ship-ctl
rpm: deps dist ship-ctl
	scripts/build-rpm

## rpm-kmod: kmod-txqguard-<release> for KERNEL_DIR=<devel tree> [KMOD_MAKE_ARGS=CC=gcc]; needs
##   root for deps
rpm-kmod: deps dist
	@test -n "$(KERNEL_DIR)" || { echo "make rpm-kmod: set KERNEL_DIR to the kernel's devel tree (/usr/src/kernels/<release>)" >&2; exit 2; }
	scripts/build-rpm --kmod $(KERNEL_DIR) $(KMOD_MAKE_ARGS)

## deb: txqguard, txqguard-dbgsym and txqguard-dkms debs, amd64 and arm64, in build/deb/; needs
##   root for deps, deps-arm64 and ship-ctl
deb: deps deps-arm64 dist ship-ctl
	scripts/build-deb

## deb-kmod: txqguard-modules-<id>, the module built for the Debian kernel KERNEL=<id>, in
##   build/deb-kmod/ (the Debian analogue of kmod-txqguard-<release>); needs root for deps
deb-kmod: deps
	@test -n "$(KERNEL)" || { echo "make deb-kmod: set KERNEL to a Debian kernel id (5.10.0-32-amd64)" >&2; exit 2; }
	scripts/build-deb-kmod $(KERNEL)

## packagetest: every check of the packages above (tests/packaging/run.sh); part of make test;
##   needs root, network
packagetest: deps deps-arm64 tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) tests/packaging/run.sh

## packagetest-vm: the debs installed, started, verified and purged in a VM booted with systemd;
##   about 12 min; not in make test, .ci/run runs it; needs root, network; boots a VM
packagetest-vm: deps deps-arm64 tools
	TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_PACKAGING_ONLY="dist ship deb deb-vm" tests/packaging/run.sh

.PHONY: dist ship-ctl bullseye-root-bg rpm rpm-kmod deb deb-kmod packagetest packagetest-vm
