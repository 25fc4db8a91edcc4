# Fleet rollout (deploy/ansible, README "Fleet rollout").

##@ Fleet rollout (deploy/ansible)
## fleetlint: ansible-lint and a syntax check of deploy/ansible, and the role's version table
##   against the controller's (tests/fleet/fix-table.sh); needs root for deps
fleetlint: deps ctl
	cd deploy/ansible && ansible-lint --offline rollout.yml rollback.yml roles/txqguard
	cd deploy/ansible && for p in rollout.yml rollback.yml; do \
		ansible-playbook -i inventory.example.yml --syntax-check $$p >/dev/null || exit 1; done
	tests/fleet/fix-table.sh

## fleettest: rollout.yml, its check mode, a broken canary and rollback.yml against three VMs on
##   loopback ssh (tests/fleet/run.sh); about 20 min; not in make test, .ci/run runs it after;
##   needs root, network; boots VMs
fleettest: fleetlint deb
	scripts/build-deb-kmod $(UNFIXED)
	TXQG_KERNEL_UNFIXED=$(UNFIXED) TXQG_KERNEL_FIXED=$(FIXED) tests/fleet/run.sh

.PHONY: fleetlint fleettest
