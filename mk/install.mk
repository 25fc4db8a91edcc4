# Installing on a host without packages. The module goes in through DKMS (mk/dkms.mk).

##@ Install (DESTDIR=..., PREFIX=/usr)
PREFIX ?= /usr
SBINDIR = $(PREFIX)/sbin
MAN8DIR = $(PREFIX)/share/man/man8
SHAREDIR = $(PREFIX)/share/txqguard
# Debian 12's packages, and its systemd.pc (systemdsystemunitdir), put units in /lib/systemd/system;
# any other PREFIX (/usr/local) gets PREFIX/lib/systemd/system, which systemd searches as well.
UNITDIR = $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
UNITS = txqguard.service txqguard-metrics.service txqguard-metrics.timer txqguard-verify.service txqguard-verify.timer

## build/man/txqguardctl.8: the man page, from packaging/man/txqguardctl.8.scd; needs scdoc (deps)
build/man/txqguardctl.8: packaging/man/txqguardctl.8.scd | deps
	mkdir -p $(@D)
	scdoc <$< >$@.tmp
	mv $@.tmp $@

## man: build/man/txqguardctl.8; needs root for deps
man: build/man/txqguardctl.8

# The units name /usr/sbin/txqguardctl; under another PREFIX they must name that one.
## install: txqguardctl, its man page, the systemd units and the Prometheus alert rules under
##   DESTDIR and PREFIX; needs root for deps, and to write a system PREFIX
install: ctl-bin man
	install -D -m 0755 build/ctl/txqguardctl $(DESTDIR)$(SBINDIR)/txqguardctl
	install -D -m 0644 build/man/txqguardctl.8 $(DESTDIR)$(MAN8DIR)/txqguardctl.8
	install -d $(DESTDIR)$(UNITDIR)
	for u in $(UNITS); do \
		sed 's|/usr/sbin/txqguardctl|$(SBINDIR)/txqguardctl|g' packaging/systemd/$$u \
			>$(DESTDIR)$(UNITDIR)/$$u && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -D -m 0644 packaging/prometheus/txqguard.rules.yml $(DESTDIR)$(SHAREDIR)/txqguard.rules.yml

## uninstall: take away what install put under DESTDIR and PREFIX; root for a system PREFIX
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/txqguardctl $(DESTDIR)$(MAN8DIR)/txqguardctl.8 \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) $(DESTDIR)$(SHAREDIR)/txqguard.rules.yml
	rmdir $(DESTDIR)$(SHAREDIR) 2>/dev/null || true

.PHONY: man install uninstall
