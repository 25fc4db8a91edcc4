#!/usr/bin/env bash
# What `make install`, `make uninstall` and `make dkms-tarball` give a host, checked in scratch
# directories: files where the units expect them, a man page that documents the CLI, units that
# systemd accepts, alert rules that load and pass their tests, and nothing left after uninstall.
#   tests/install/check.sh        (also: make installtest)
# A tool this needs and the machine lacks is a SKIP for a developer, a FAIL in CI (CI=true, as CI
# services set it, or TXQG_CI=1): there a skipped check would pass for a checked one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
passed=0 failed=0 skipped=0

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
ci=0
if [ "${CI:-}" = true ] || [ "${TXQG_CI:-}" = 1 ]; then ci=1; fi
# missing WHAT: a check that cannot run here.
missing() { if [ "$ci" = 1 ]; then fail "$* (CI: every check must run)"; else skip "$*"; fi; }
# check NAME CMD...: PASS when CMD succeeds; otherwise FAIL with its output, indented.
check() {
	local name=$1
	shift
	if "$@" >"$log" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$log"; fi
}
summary() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

dest=$tmp/dest
units=(txqguard.service txqguard-metrics.service txqguard-metrics.timer txqguard-verify.service
	txqguard-verify.timer)
unitdir=$dest/lib/systemd/system
ctl=$dest/usr/sbin/txqguardctl
man8=$dest/usr/share/man/man8/txqguardctl.8
rules=$dest/usr/share/txqguard/txqguard.rules.yml

if ! make -s -C "$top" install DESTDIR="$dest" >"$log" 2>&1; then
	fail "make install DESTDIR=..."
	tail -n 30 "$log" | sed 's/^/    /'
	summary
	exit 1
fi
pass "make install DESTDIR=..."

# --- what landed where -----------------------------------------------------------------------
for f in "${units[@]/#/$unitdir/}" "$man8" "$rules"; do
	check "installed ${f#"$dest"}" test -f "$f"
done
check "installed /usr/sbin/txqguardctl, executable" test -x "$ctl"
ver=$(sed -n 's/^#define TXQGUARD_VERSION "\(.*\)"/\1/p' "$top/include/uapi/linux/txqguard.h")
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "installed txqguardctl --version says $ver" bash -c '[ "$("$1" --version)" = "txqguardctl $2" ]' _ "$ctl" "$ver"

# Every program a unit runs, after systemd's prefixes (-@:+!), is installed.
exec_paths_resolve() {
	local u path bad=0 n=0
	for u in "${units[@]}"; do
		while read -r path; do
			n=$((n + 1))
			if [[ $path != /* || ! -x $dest$path ]]; then
				echo "$u: $path is not an executable under DESTDIR"
				bad=1
			fi
		done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$unitdir/$u")
	done
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}
check "every Exec*= of the units resolves under DESTDIR" exec_paths_resolve

# The metrics unit writes where its condition, its sandbox and the alert rules look.
textfile_consistent() {
	local svc=$unitdir/txqguard-metrics.service file dir
	file=$(sed -n 's/^ExecStart=.* --textfile \([^ ]*\).*/\1/p' "$svc")
	dir=${file%/*}
	grep -qx "ConditionPathIsDirectory=$dir" "$svc" &&
		grep -qx "ReadWritePaths=$dir" "$svc" &&
		grep -qx "ConditionPathIsDirectory=$dir" "$unitdir/txqguard-metrics.timer" &&
		grep -qF "txqguard\\\\.prom" "$rules" && [ "${file##*/}" = txqguard.prom ]
}
check "textfile path agrees between the metrics units and the rules" textfile_consistent

# The verify unit may write where txqguardctl keeps the result status and metrics read.
state_consistent() {
	local svc=$unitdir/txqguard-verify.service
	grep -qx "StateDirectory=txqguard" "$svc" &&
		grep -qx "ExecStart=/usr/sbin/txqguardctl verify" "$svc" &&
		grep -qF /var/lib/txqguard/verify.json "$ctl" &&
		grep -qF /var/lib/txqguard/verify.json "$top/packaging/man/txqguardctl.8.scd"
}
check "verify unit's StateDirectory= is where txqguardctl and its man page keep the result" state_consistent

# --- the man page ----------------------------------------------------------------------------
check "man page is troff with .TH txqguardctl 8" grep -q '^\.TH "txqguardctl" "8"' "$man8"
if command -v man >/dev/null && command -v col >/dev/null; then
	# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
	check "man -l renders it without warnings" bash -c \
		'out=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null); [ -z "$out" ] || { echo "$out"; exit 1; }' _ "$man8"
	MANWIDTH=200 man -l "$man8" 2>/dev/null | col -b | expand >"$tmp/man.txt"
	sed -n '/^GLOBAL OPTIONS/,/^[A-Z]/p' "$tmp/man.txt" >"$tmp/global.txt"
	sed -n '/^COMMANDS/,/^[A-Z]/p' "$tmp/man.txt" >"$tmp/commands.txt"
	# Commands and options as the CLI itself lists them (CLI11's --help), so the page cannot lag: each
	# command has an entry under COMMANDS whose heading names its options, or they are global.
	man_documents_cli() {
		local cmds cmd opt missing=0
		cmds=$("$ctl" --help | sed -n '/^Subcommands:/,$s/^  \([a-z-]*\) .*/\1/p')
		[ -n "$cmds" ] || { echo "no commands in txqguardctl --help"; return 1; }
		for opt in $("$ctl" --help | sed '/^Subcommands:/,$d' | grep -oE -- '--[a-z-]+'); do
			grep -qE -- "^ {7}(-h, )?$opt$" "$tmp/global.txt" ||
				{ echo "global $opt not documented"; missing=1; }
		done
		for cmd in $cmds; do
			grep -qE "^ {7}$cmd( |$)" "$tmp/commands.txt" || { echo "command $cmd not documented"; missing=1; }
			for opt in $("$ctl" "$cmd" --help | grep -oE -- '^ +(-h,)?--[a-z-]+' | sed 's/.*--/--/'); do
				grep -qE -- "^ {7}$cmd .*$opt( |]|$)" "$tmp/commands.txt" ||
					grep -qE -- "^ {7}(-h, )?$opt$" "$tmp/global.txt" ||
					{ echo "$cmd $opt not documented"; missing=1; }
			done
		done
		return "$missing"
	}
	check "man page documents every command and option of txqguardctl --help" man_documents_cli
	man_documents_exit_codes() {
		local code missing=0
		sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$tmp/man.txt" >"$tmp/exit.txt"
		# shellcheck disable=SC2013 # word splitting intended: exit codes, one number a word
		for code in $(sed -n 's/^\s*kExit[A-Za-z]* = \([0-9]*\),.*/\1/p' "$top/ctl/src/ports/env.h"); do
			grep -qE "^ +$code$" "$tmp/exit.txt" || { echo "exit code $code not documented"; missing=1; }
		done
		return "$missing"
	}
	check "man page documents every exit code of ctl/src/ports/env.h" man_documents_exit_codes
else
	missing "man page rendering and contents (man-db or col missing)"
fi

# --- systemd ---------------------------------------------------------------------------------
# Installed under a scratch PREFIX (no DESTDIR), the units name a txqguardctl that exists on
# this machine, so systemd-analyze can check everything, the programs included.
prefix=$tmp/prefix
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "make install PREFIX=<scratch>: units under PREFIX/lib/systemd/system name PREFIX/sbin" bash -c '
	make -s -C "$1" install PREFIX="$2" >/dev/null &&
	grep -q "^ExecStart=-$2/sbin/txqguardctl load$" "$2/lib/systemd/system/txqguard.service" &&
	grep -q "^ExecStart=$2/sbin/txqguardctl metrics " "$2/lib/systemd/system/txqguard-metrics.service"' \
	_ "$top" "$prefix"
if command -v systemd-analyze >/dev/null && systemd-analyze --version >/dev/null 2>&1; then
	# Warnings (an unknown key, a bad value) do not change its exit status: any output fails.
	# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
	check "systemd-analyze verify: the installed units, without a warning" bash -c '
		out=$(cd "$1" && MANPATH="$2" systemd-analyze verify "${@:3}" 2>&1) && [ -z "$out" ] ||
			{ echo "$out"; exit 1; }' _ "$prefix/lib/systemd/system" "$prefix/share/man" "${units[@]/#/./}"
	for u in "${units[@]}"; do
		# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
		check "systemd-analyze verify $u (as shipped)" bash -c '
			out=$(systemd-analyze verify --man=no "$1" 2>&1 | grep -v "/usr/sbin/txqguardctl is not executable") || true
			[ -z "$out" ] || { echo "$out"; exit 1; }' _ "$top/packaging/systemd/$u"
	done
else
	missing "systemd-analyze verify (systemd-analyze does not run here)"
fi
# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "make uninstall PREFIX=<scratch> leaves no files" bash -c '
	make -s -C "$1" uninstall PREFIX="$2" >/dev/null && [ -z "$(find "$2" ! -type d)" ] ||
		{ find "$2" ! -type d; exit 1; }' _ "$top" "$prefix"

# --- Prometheus ------------------------------------------------------------------------------
if command -v promtool >/dev/null; then
	check "promtool check rules (installed)" promtool check rules "$rules"
	check "installed rules are the tested ones" cmp "$rules" "$top/packaging/prometheus/txqguard.rules.yml"
	# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
	check "promtool test rules" bash -c 'cd "$1" && promtool test rules txqguard.rules.test.yml' \
		_ "$top/packaging/prometheus"
	# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
	check "promtool check metrics: a loaded module's exposition (fixture)" \
		bash -c 'promtool check metrics <"$1"' _ "$here/metrics-loaded.prom"
	"$ctl" metrics >"$tmp/live.prom" 2>"$log" && live=1 || live=0
	if [ "$live" = 1 ]; then
		# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
		check "promtool check metrics: txqguardctl metrics on this machine" \
			bash -c 'promtool check metrics <"$1"' _ "$tmp/live.prom"
	else
		fail "txqguardctl metrics on this machine"
		sed 's/^/    /' "$log"
	fi
	# A rule on a metric name ctl does not write would never fire.
	rules_use_exported_names() {
		local name missing=0
		# shellcheck disable=SC2013 # word splitting intended: metric names, one a word
		for name in $(grep -v '^\s*#' "$rules" | grep -oE 'txqguard_[a-z_]+' | sort -u); do
			grep -qh "^${name}[ {]" "$here/metrics-loaded.prom" "$tmp/live.prom" ||
				{ echo "$name is not exported by txqguardctl metrics"; missing=1; }
		done
		return "$missing"
	}
	check "alert rules use only metric names txqguardctl exports" rules_use_exported_names
else
	missing "promtool checks (promtool is missing: scripts/install-deps)"
fi

# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
check "make uninstall DESTDIR=... leaves no files" bash -c '
	make -s -C "$1" uninstall DESTDIR="$2" >/dev/null && [ -z "$(find "$2" ! -type d)" ] ||
		{ find "$2" ! -type d; exit 1; }' _ "$top" "$dest"

# --- the DKMS tarball ------------------------------------------------------------------------
tarball=$top/build/txqguard-$ver-source-only.dkms.tar.gz
if make -s -C "$top" dkms-tarball >"$log" 2>&1 && [ -f "$tarball" ]; then
	pass "make dkms-tarball"
	cp "$tarball" "$tmp/first.tar.gz"
	tarball_matches_source() {
		make -s -C "$top" dkms-source DESTDIR="$tmp/src" &&
			mkdir "$tmp/x" && tar -xzf "$tarball" -C "$tmp/x" &&
			[ -d "$tmp/x/dkms_main_tree" ] &&
			diff -r "$tmp/src/usr/src/txqguard-$ver" "$tmp/x/dkms_source_tree"
	}
	check "tarball holds dkms_main_tree/ and exactly the make dkms-source tree" tarball_matches_source
	# shellcheck disable=SC2016 # expanded by the bash -c script, which gets the values as arguments
	check "make dkms-tarball twice gives the same bytes" bash -c \
		'make -s -C "$1" dkms-tarball >/dev/null && cmp "$2" "$3"' _ "$top" "$tmp/first.tar.gz" "$tarball"
	if [ "$(id -u)" -eq 0 ] && command -v dkms >/dev/null && command -v unshare >/dev/null; then
		check "dkms ldtarball loads it, same files as dkms mktarball --source-only" \
			"$here/dkms-tarball.sh" "$tarball"
	else
		missing "dkms ldtarball (needs root, dkms and unshare)"
	fi
else
	fail "make dkms-tarball"
	tail -n 20 "$log" | sed 's/^/    /'
fi

summary
