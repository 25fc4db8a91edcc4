#!/usr/bin/env bash
# The Ansible role decides whether a host without the controller needs the guard from a copy of
# the controller's version table (deploy/ansible/roles/txqguard: vars/main.yml, tasks/decide.yml).
# This runs the role's decision (ansible-playbook on localhost, nothing else touched) and the
# controller's (txqg-fix-verdict, built from ctl/src/core) on every kernel below and fails on any
# kernel they disagree on. Part of make fleetlint.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tool=${TXQG_FIX_VERDICT:-$top/build/ctl/txqg-fix-verdict}
[ -x "$tool" ] || { echo "fix-table: no $tool (make ctl)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

deb510() { printf 'Linux version %s (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP Debian %s (2025-01-01)' "$1" "$2"; }
deb61() { printf 'Linux version %s (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian %s (2025-01-01)' "$1" "$2"; }
# RELEASE<TAB>/proc/version: each series around its first fixed release, the first affected 5.10,
# series without fix data, prereleases, Debian ABI releases (matching /proc/version or not),
# vendor builds and names that are no version at all.
{
	for r in 4.19.300 5.4.280 5.10 5.10.93 5.10.94 5.10.223 5.10.236 5.10.237 5.10.240+ \
		5.15.170 5.16.20 5.17 5.17.1 6.1 6.1.100 6.1.128 6.1.129 6.1.158 6.5.13 6.6.73 \
		6.6.74 6.6.80 6.8.12 6.12.10 6.12.11 6.12.30 6.13 6.13.0 6.13.5 6.14.2 7.0.1 \
		6.1.0-rc3 6.6-rc1 6.13-rc1 6.13.0-rc3 6.14.0-rc2 5.10.237-rc1 1234567.1 99999999999.1; do
		printf '%s\t\n' "$r"
	done
	for p in "5.10.0-32-amd64 5.10.223-1" "5.10.0-44-amd64 5.10.237-1" "5.10.0-30-amd64 5.10.218-1" \
		"5.10.0-0.deb10.30-amd64 5.10.218-1~deb10u1" "5.10.0-32-arm64 5.10.223-1"; do
		read -r release debian <<<"$p"
		printf '%s\t%s\n' "$release" "$(deb510 "$release" "$debian")"
	done
	for p in "6.1.0-56-amd64 6.1.158-1" "6.1.0-0.deb11.31-amd64 6.1.128-1~deb11u1" \
		"6.1.0-30-cloud-arm64 6.1.124-1"; do
		read -r release debian <<<"$p"
		printf '%s\t%s\n' "$release" "$(deb61 "$release" "$debian")"
	done
	printf '%s\t%s\n' 5.10.0-32-amd64 "$(deb61 5.10.0-32-amd64 6.1.158-1)"
	printf '%s\t%s\n' 6.1.0-56-amd64 "Linux version 6.1.0-56-amd64 #1 SMP"
	printf '%s\t%s\n' 5.10.0-32-amd64 "Linux version 5.10.0-32-amd64 (gcc-10 (Debian 10.2.1-6) 10.2.1) #1 SMP"
	for r in 5.10.0-136.12.0.86.oe2203sp1.aarch64 5.10.0-136.12.0.88.ctl3.x86_64 \
		5.10.0-60.18.0.50.oe2203.x86_64 4.19.90-2102.2.0.0062.ctl2.x86_64 \
		5.15.0-91-generic 6.5.6-300.fc39.x86_64 ""; do
		printf '%s\t%s\n' "$r" "Linux version $r #1 SMP"
	done
} >"$work/cases.tsv"

"$tool" <"$work/cases.tsv" >"$work/controller"
python3 -c 'import json, sys
print(json.dumps([{"kernel": k, "proc_version": p} for k, p in
                  (l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1]))]))' \
	"$work/cases.tsv" >"$work/cases.json"
ANSIBLE_ROLES_PATH=$top/deploy/ansible/roles ANSIBLE_RETRY_FILES_ENABLED=false \
	ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
	ansible-playbook -i localhost, "$top/tests/fleet/fix-table.yml" \
	-e txqguard_test_cases_file="$work/cases.json" -e txqguard_test_out_file="$work/role" \
	>"$work/ansible.log" 2>&1 || { cat "$work/ansible.log"; exit 1; }

n=$(wc -l <"$work/cases.tsv") bad=0
while IFS=$'\t' read -r release _ && IFS= read -r c <&3 && IFS= read -r r <&4; do
	[ "$c" = "$r" ] || { echo "fix-table: ${release:-(empty)}: controller $c, role $r"; bad=$((bad + 1)); }
done <"$work/cases.tsv" 3<"$work/controller" 4<"$work/role"
[ "$(wc -l <"$work/role")" -eq "$n" ] || { echo "fix-table: the role answered $(wc -l <"$work/role") of $n"; exit 1; }
echo "fix-table: $((n - bad)) of $n kernels, the role agrees with the controller" \
	"($(sort "$work/controller" | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}'))"
[ "$bad" -eq 0 ]
