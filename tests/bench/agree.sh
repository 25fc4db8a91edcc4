#!/usr/bin/env bash
# How far repeated icount runs of make bench agree: per workload and configuration, the ratio of
# each run (bench/results/<id>.<n>.icount.txt) and the spread, (max - min) / min.
#   tests/bench/agree.sh FILE...
# Prints "bench-agree workload=W config=C ratios=r1,r2,... spread_pct=S frame_cost=c1,c2,..." and
# exits 1 when a spread exceeds TXQG_BENCH_AGREE_PCT (0.5).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 FILE FILE..." >&2; exit 2; }
limit=${TXQG_BENCH_AGREE_PCT:-0.5}
awk -v limit="$limit" '
	$1 == "bench-summary" {
		split("", kv)
		for (i = 2; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
		k = kv["workload"] " " kv["config"]
		if (!(k in seen)) { order[++n] = k; seen[k] = 1 }
		r[k] = r[k] (r[k] == "" ? "" : ",") kv["ratio"]
		c[k] = c[k] (c[k] == "" ? "" : ",") kv["frame_cost"]
		if (!(k in lo) || kv["ratio"] < lo[k]) lo[k] = kv["ratio"]
		if (!(k in hi) || kv["ratio"] > hi[k]) hi[k] = kv["ratio"]
	}
	END {
		bad = 0
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, w, " ")
			s = lo[k] ? (hi[k] - lo[k]) / lo[k] * 100 : 0
			printf "bench-agree workload=%s config=%s ratios=%s spread_pct=%.3f frame_cost=%s\n", w[1], w[2], r[k], s, c[k]
			if (s > limit) bad = 1
		}
		exit bad
	}' "$@"
