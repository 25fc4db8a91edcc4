#!/usr/bin/env bash
# Runs shellcheck over every shell script of tests/, scripts/, .ci/, deploy/ and packaging/: the
# files whose first line is a sh/bash/dash/ash shebang, and every *.sh (the libraries that are only
# sourced have none); build/ and .cache/ are skipped. Its settings are .shellcheckrc's (sourced
# libraries followed). A finding is fixed, or annotated where the code means it: a
# "# shellcheck disable=SCxxxx # reason" line directly above.
#   tests/shellcheck.sh        (also: make shellcheck, a step of make test)
# Without shellcheck (scripts/install-deps installs it): SKIP for a developer, FAIL in CI (CI=true
# or TXQG_CI=1), as in tests/install/check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
	if [ "${CI:-}" = true ] || [ "${TXQG_CI:-}" = 1 ]; then
		echo "FAIL shellcheck: not installed (scripts/install-deps; CI: every check must run)"
		exit 1
	fi
	echo "SKIP shellcheck: not installed (scripts/install-deps)"
	exit 0
fi

scripts=()
while IFS= read -r -d '' f; do
	case $f in
	*.sh) scripts+=("$f") ;;
	*) if head -n 1 -- "$f" 2>/dev/null | grep -qE '^#!.*[/ ](ba|da|a)?sh([[:space:]]|$)'; then
		scripts+=("$f")
	fi ;;
	esac
done < <(find tests scripts .ci deploy packaging \( -name build -o -name .cache \) -prune -o \
	-type f -print0 | sort -z)
if [ ${#scripts[@]} -eq 0 ]; then
	echo "FAIL shellcheck: found no scripts"
	exit 1
fi

rc=0
out=$(shellcheck -f gcc -- "${scripts[@]}") || rc=$?
if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
	echo "PASS shellcheck: ${#scripts[@]} scripts, 0 findings"
	exit 0
fi
printf '%s\n' "$out"
n=$(grep -c ': \(error\|warning\|note\|info\|style\): ' <<<"$out" || true)
echo "FAIL shellcheck: ${#scripts[@]} scripts, $n findings (fix, or annotate with a reason)"
exit 1
