# The module's DKMS source trees, and the tarball `dkms ldtarball` loads.

##@ DKMS sources (DESTDIR=...)
# $(call dkms-conf,<dkms.conf of the form>,<tree>): each tree's dkms.conf carries $(VERSION).
dkms-conf = sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' $(1) >$(2)/dkms.conf

# The DKMS source tree: what /usr/src/txqguard-<version>/ holds on a host.
DKMS_DIR = $(DESTDIR)/usr/src/txqguard-$(VERSION)
## dkms-source: the DKMS source tree of txqguard.ko in DESTDIR/usr/src/txqguard-<version>/; needs
##   root unless DESTDIR is writable
dkms-source:
	install -d $(DKMS_DIR)/kmod $(DKMS_DIR)/include/uapi/linux
	$(call dkms-conf,dkms.conf,$(DKMS_DIR))
	chmod 0644 $(DKMS_DIR)/dkms.conf
	install -m 0644 kmod/*.c kmod/*.h kmod/*.S kmod/Kbuild kmod/Makefile $(DKMS_DIR)/kmod/
	install -d $(DKMS_DIR)/kmod/lp
	install -m 0644 kmod/lp/*.c kmod/lp/*.S $(DKMS_DIR)/kmod/lp/
	install -m 0644 include/uapi/linux/txqguard.h $(DKMS_DIR)/include/uapi/linux/

# The second DKMS module, the optional live-patch form (dkms-lp.conf says why it is one of its own).
DKMS_LP_DIR = $(DESTDIR)/usr/src/txqguard-lp-$(VERSION)
## dkms-source-lp: the live-patch form's DKMS tree in DESTDIR/usr/src/txqguard-lp-<version>/;
##   needs root unless DESTDIR is writable
dkms-source-lp:
	$(MAKE) -s dkms-source DKMS_DIR=$(DKMS_LP_DIR)
	$(call dkms-conf,dkms-lp.conf,$(DKMS_LP_DIR))

## dkms-sources: dkms-source and dkms-source-lp; needs root unless DESTDIR is writable
dkms-sources: dkms-source dkms-source-lp

# The DKMS source in the layout of `dkms mktarball --source-only`, which `dkms ldtarball` loads
# on a host. Plain tar, so it needs neither root nor a DKMS tree; fixed owners, order and times,
# so the same tree gives the same bytes.
DKMS_TARBALL = build/txqguard-$(VERSION)-source-only.dkms.tar.gz
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
## dkms-tarball: build/txqguard-<version>-source-only.dkms.tar.gz for `dkms ldtarball`,
##   reproducible; needs neither root nor DKMS
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

.PHONY: dkms-source dkms-source-lp dkms-sources dkms-tarball
