#!/usr/bin/env bash
# The fleet test (make fleettest): deploy/ansible's playbooks, run from this machine with
# ansible-playbook, against three VMs reached over ssh (tests/vm/lib.sh's conventions: each test
# PASS or FAIL, and "N passed, N failed" at the end; exit status nonzero on any failure).
#
# The fleet, in rollout order (the first is the canary):
#   fleet-a, fleet-b  the unfixed kernel (TXQG_KERNEL_UNFIXED, 5.10.0-32-amd64)
#   fleet-c           a fixed kernel (TXQG_KERNEL_FIXED, 5.10.0-44-amd64)
# Each is a `vmrun --systemd --net-ssh PORT` guest running tests/fleet/guest.sh: systemd as PID 1,
# sshd from this machine's openssh-server with host keys and root's authorized key made for this
# run, reachable on 127.0.0.1:PORT only (QEMU's user network with restrict=on: nothing leaves the
# machine). The packages are files named in the inventory: txqguard from make deb and
# txqguard-modules-<unfixed> from make deb-kmod (DKMS under emulation takes more than 20 minutes).
#
# Tests, in order, on the same three guests:
#   check_mode_reports_exposed   rollout.yml --check: fleet-a and fleet-b reported exposed, fleet-c
#                                not; changed=0 and nothing on any host changed
#   broken_canary_stops_rollout  fleet-a's openvswitch module hidden: rollout.yml fails on the
#                                canary at the verify gate and stops; fleet-b and fleet-c untouched
#   rollout_protects_unfixed     (fleet-a repaired) rollout.yml: fleet-a and fleet-b protected
#                                (verify passes there, status not exposed), fleet-c "not needed"
#                                and untouched
#   second_run_changes_nothing   rollout.yml again: changed=0 on every host
#   rollback_restores_hosts      rollback.yml: every host as before the first run (no module, no
#                                units, no packages, nothing the role wrote)
#   guests_clean                 every guest shut down cleanly, no kernel report (vmrun exit 0)
# Then a per-host outcome table and the total time.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../vm/lib.sh"
unfixed=${TXQG_KERNEL_UNFIXED:-5.10.0-32-amd64}
fixed=${TXQG_KERNEL_FIXED:-5.10.0-44-amd64}
version=$(sed -n 's/^#define TXQGUARD_VERSION "\(.*\)"$/\1/p' "$top/include/uapi/linux/txqguard.h")
deb_main=$top/build/deb/txqguard_$version-1_amd64.deb
deb_mod=$top/build/deb-kmod/txqguard-modules-${unfixed}_$version-1_amd64.deb
ansible_dir=$top/deploy/ansible
start_all=$(date +%s)

for f in "$deb_main" "$deb_mod"; do
	[ -f "$f" ] || { echo "fleet: no $f (make deb, make deb-kmod KERNEL=$unfixed)" >&2; exit 1; }
done
for c in ansible-playbook ssh ssh-keygen /usr/sbin/sshd; do
	command -v "$c" >/dev/null || { echo "fleet: $c is missing (scripts/install-deps)" >&2; exit 1; }
done

# Inside the checkout: the guests see it (their /tmp is their own).
work=$top/build/fleet
rm -rf "$work"
mkdir -p "$work"
ssh-keygen -q -t ed25519 -N '' -C txqguard-fleet-test -f "$work/id"
"$top/tests/packaging/slim-dpkg-db" "$work/dpkg" "$deb_main" "$deb_mod"
cp "$work/id.pub" "$work/authorized_keys"

hosts=(fleet-a fleet-b fleet-c)
declare -A kernel=([fleet-a]=$unfixed [fleet-b]=$unfixed [fleet-c]=$fixed)
declare -A port pid outcome_check outcome_broken outcome_rollout changed_second outcome_rollback

# Three free loopback ports.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$p" | grep -q . && continue
		case " ${port[*]:-} " in *" $p "*) continue ;; esac
		echo "$p"
		return
	done
}
for h in "${hosts[@]}"; do port[$h]=$(free_port); done

gssh() { # HOST COMMAND...
	local h=$1
	shift
	ssh -i "$work/id" -p "${port[$h]}" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=30 root@127.0.0.1 "$@"
}

# Each guest in a process group of its own (setsid), so that a failed run can end exactly what it
# started. One vCPU each: three guests share this machine's two cores with whatever else runs, and
# nothing here needs a second CPU (no removal under traffic, no race; the lockup itself is the VM
# suites' business).
cleanup() {
	for h in "${hosts[@]}"; do
		[ -n "${pid[$h]:-}" ] && kill -0 "${pid[$h]}" 2>/dev/null && kill -- "-${pid[$h]}" 2>/dev/null
	done
	return 0
}
trap cleanup EXIT
# One vCPU each: the three guests run at once on the machine's cores, and what is tested here is the
# rollout; the guard's paths on several CPUs are suite.sh's (two vCPUs per guest).
for h in "${hosts[@]}"; do
	setsid "$vmrun" --kernel "${kernel[$h]}" --systemd --smp 1 --mem 1024 --timeout 3000 --net-ssh "${port[$h]}" \
		-- "$top/tests/fleet/guest.sh" "$work/authorized_keys" "$work/dpkg" >"$work/$h.console" 2>&1 &
	pid[$h]=$!
done

begin guests_reachable
vm_secs=0
t=$(date +%s)
for h in "${hosts[@]}"; do
	until gssh "$h" true 2>/dev/null; do
		if ! kill -0 "${pid[$h]}" 2>/dev/null; then
			fail "$h: the guest ended before sshd answered (console: $work/$h.console)"
			break
		fi
		if [ $(($(date +%s) - t)) -gt 900 ]; then
			fail "$h: sshd did not answer on 127.0.0.1:${port[$h]} in 900 s"
			break
		fi
		sleep 5
	done
done
vm_secs=$(($(date +%s) - t))
end
if [ "$failed" -gt 0 ]; then summary || exit 1; fi

cat >"$work/inventory.yml" <<EOF
---
all:
  vars:
    ansible_host: 127.0.0.1
    ansible_user: root
    ansible_become: false
    ansible_ssh_private_key_file: $work/id
    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
    ansible_python_interpreter: /usr/bin/python3
    txqguard_waves: [1, 2]
    txqguard_package_source: files
    txqguard_module_package: prebuilt
  hosts:
    fleet-a:
      ansible_port: ${port[fleet-a]}
      txqguard_package_files: [$deb_main, $deb_mod]
    fleet-b:
      ansible_port: ${port[fleet-b]}
      txqguard_package_files: [$deb_main, $deb_mod]
    fleet-c:
      ansible_port: ${port[fleet-c]}
      txqguard_package_files: [$deb_main]
EOF

# play NAME PLAYBOOK [ARGS...]: ansible-playbook's output in $work/NAME.log, its status in $play_rc.
play() {
	local name=$1 t
	shift
	t=$(date +%s)
	set +e
	(cd "$ansible_dir" && ANSIBLE_CONFIG=$ansible_dir/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks \
		ansible-playbook -i "$work/inventory.yml" "$@") >"$work/$name.log" 2>&1
	play_rc=$?
	set -e
	vm_secs=$(($(date +%s) - t))
	vm_out=$work/$name.log
	echo "  ansible-playbook $* -> exit $play_rc in ${vm_secs}s ($vm_out)"
}
# outcome HOST: what the last play reported for HOST ("protected", "not needed", ...).
outcome() { sed -n "s/.*\"msg\": \"TXQGUARD-OUTCOME $1: \([^:]*\):.*/\1/p" "$vm_out" | tail -1; }
# changed HOST: the recap's changed= for HOST (empty when HOST was not played).
changed() { sed -n "s/^$1 *: ok=[0-9]* *changed=\([0-9]*\) .*/\1/p" "$vm_out" | tail -1; }
expect_outcome() { # HOST OUTCOME
	local o
	o=$(outcome "$1")
	[ "$o" = "$2" ] || fail "$1 reported '${o:-nothing}', expected '$2'"
}

# Everything of txqguard a host can carry: module, packages, units, files. Compared with the
# state before the first run.
footprint() { # HOST
	# shellcheck disable=SC2016 # expanded in the guest
	gssh "$1" 'k=$(uname -r)
		grep -E "^txqguard" /proc/modules | cut -d" " -f1
		dpkg-query -W -f="\${db:Status-Status} \${Package}\n" "txqguard*" 2>/dev/null | grep -v "^not-installed"
		systemctl list-unit-files --no-legend "txqguard*"
		systemctl list-units --all --no-legend "txqguard*"
		ls -d /var/cache/txqguard /var/lib/txqguard /etc/modprobe.d/txqguard.conf /usr/sbin/txqguardctl \
			/lib/modules/$k/updates/txqguard /etc/systemd/system/txqguard* \
			/var/lib/prometheus/node-exporter/txqguard.prom 2>/dev/null
		true'
}
expect_footprint() { # HOST FILE-BEFORE
	local now
	now=$(footprint "$1") || { fail "$1: cannot read its state over ssh"; return; }
	[ "$now" = "$(cat "$2")" ] || fail "$1 changed: $(diff <(cat "$2") <(echo "$now") | grep '^[<>]' | tr '\n' ' ')"
}

for h in "${hosts[@]}"; do footprint "$h" >"$work/$h.before"; done

begin check_mode_reports_exposed
play check rollout.yml --check
[ "$play_rc" -eq 0 ] || fail "rollout.yml --check: exit $play_rc"
expect_outcome fleet-a exposed
expect_outcome fleet-b exposed
expect_outcome fleet-c "not exposed"
for h in "${hosts[@]}"; do
	outcome_check[$h]=$(outcome "$h")
	[ "$(changed "$h")" = 0 ] || fail "$h: changed=$(changed "$h") in check mode"
	expect_footprint "$h" "$work/$h.before"
done
end

begin broken_canary_stops_rollout
# The canary's openvswitch module moved away: verify cannot load it, so its ovs_output guard never
# goes live.
ovs=kernel/net/openvswitch/openvswitch.ko
gssh fleet-a "mv /lib/modules/\$(uname -r)/$ovs /root/openvswitch.ko.hidden"
play broken rollout.yml
[ "$play_rc" -ne 0 ] || fail "rollout.yml succeeded with a broken canary"
expect_outcome fleet-a failed
# At the gate and for the hidden module, not for anything else the guest may lack.
grep -q 'TXQGUARD-OUTCOME fleet-a: failed: Verify that both guards are live.*cannot load openvswitch' "$vm_out" ||
	fail "fleet-a did not fail at the verify gate for want of openvswitch"
for h in fleet-b fleet-c; do
	[ -z "$(outcome "$h")" ] || fail "$h was played: $(outcome "$h")"
	[ -z "$(changed "$h")" ] || fail "$h is in the recap (changed=$(changed "$h"))"
	expect_footprint "$h" "$work/$h.before"
done
outcome_broken[fleet-a]="$(outcome fleet-a) (gate)"
outcome_broken[fleet-b]="untouched" outcome_broken[fleet-c]="untouched"
# Repaired as an administrator would: the module back, and depmod, since the packages' depmod ran
# while it was missing.
gssh fleet-a "mv /root/openvswitch.ko.hidden /lib/modules/\$(uname -r)/$ovs && depmod -a"
end

begin rollout_protects_unfixed
play rollout rollout.yml
[ "$play_rc" -eq 0 ] || fail "rollout.yml: exit $play_rc"
expect_outcome fleet-a protected
expect_outcome fleet-b protected
expect_outcome fleet-c "not needed"
for h in fleet-a fleet-b; do
	gssh "$h" txqguardctl verify >"$work/$h.verify" 2>&1 || fail "$h: txqguardctl verify failed after the rollout"
	gssh "$h" txqguardctl --json status >"$work/$h.status" 2>&1 || fail "$h: txqguardctl status: exit $?"
	[ "$(jq -r '.exposed' "$work/$h.status" 2>/dev/null)" = false ] || fail "$h: status says exposed"
	[ "$(jq -r '.guarded' "$work/$h.status" 2>/dev/null)" = true ] || fail "$h: status says not guarded"
	gssh "$h" systemctl is-enabled txqguard.service txqguard-verify.timer txqguard-metrics.timer >/dev/null ||
		fail "$h: the boot unit or a timer is not enabled"
done
expect_footprint fleet-c "$work/fleet-c.before"
for h in "${hosts[@]}"; do outcome_rollout[$h]=$(outcome "$h"); done
end

begin second_run_changes_nothing
play second rollout.yml
[ "$play_rc" -eq 0 ] || fail "rollout.yml (second run): exit $play_rc"
for h in "${hosts[@]}"; do
	changed_second[$h]=$(changed "$h")
	[ "${changed_second[$h]}" = 0 ] || fail "$h: changed=${changed_second[$h]:-missing} on the second run"
done
end

begin rollback_restores_hosts
play rollback rollback.yml
[ "$play_rc" -eq 0 ] || fail "rollback.yml: exit $play_rc"
for h in "${hosts[@]}"; do
	outcome_rollback[$h]=$(outcome "$h")
	expect_outcome "$h" "rolled back"
	expect_footprint "$h" "$work/$h.before"
done
end

begin guests_clean
t=$(date +%s)
for h in "${hosts[@]}"; do gssh "$h" touch /run/txqg-fleet-stop || fail "$h: cannot stop it over ssh"; done
for h in "${hosts[@]}"; do
	set +e
	wait "${pid[$h]}"
	rc=$?
	set -e
	pid[$h]=""
	[ "$rc" -eq 0 ] || fail "$h: vmrun exit $rc ($(tail -2 "$work/$h.console" | head -1))"
done
vm_secs=$(($(date +%s) - t))
vm_out=$work/fleet-a.console
end

echo
printf '%-8s %-16s %-12s %-15s %-11s %-12s %s\n' host kernel "--check" "broken canary" rollout "2nd changed" rollback
for h in "${hosts[@]}"; do
	printf '%-8s %-16s %-12s %-15s %-11s %-12s %s\n' "$h" "${kernel[$h]}" "${outcome_check[$h]:--}" \
		"${outcome_broken[$h]:--}" "${outcome_rollout[$h]:--}" "${changed_second[$h]:--}" "${outcome_rollback[$h]:--}"
done
echo "fleet test: $(($(date +%s) - start_all)) s in all"
summary
