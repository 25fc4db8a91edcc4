# The benchmark: what the guards cost, by the wall clock and by instructions counted in the guest.

##@ Benchmark
# make bench [KERNEL=<id>] [BENCH_ARGS="forward.sh options"] [BENCH_ICOUNT_RUNS=N]: tests/bench/forward.sh
# in a VM of that kernel, by the wall clock -> bench/results/<id>.txt (with the load/unload stall on
# amd64), then N (1) times with the guest's clock counting instructions (vmrun --icount), whose
# ratios the host's load cannot move -> bench/results/<id>.<n>.icount.txt; with N > 1,
# tests/bench/agree.sh says how far the runs differ. Not part of make test: about an hour.
BENCH_KERNEL = $(or $(KERNEL),$(UNFIXED))
BENCH_ICOUNT_RUNS ?= 1
BENCH_ARGS ?=
BENCH_ARCH = $(if $(filter %-arm64,$(BENCH_KERNEL)),aarch64,$(HOST_ARCH))
## bench: tests/bench/forward.sh in a VM of KERNEL (UNFIXED), by the wall clock, then
##   BENCH_ICOUNT_RUNS (1) times counting instructions -> bench/results/; about an hour; needs root
##   for deps; boots VMs
bench: deps $(if $(filter %-arm64,$(BENCH_KERNEL)),tools-arm64 ship-ctl,tools ctl-bin) \
		build/tools/$(BENCH_ARCH)/pktflood build/tools/$(BENCH_ARCH)/stallmon
	scripts/build-kmod $(BENCH_KERNEL)
	tests/bench/run.sh $(BENCH_KERNEL) $(BENCH_ARGS)
	for n in $$(seq $(BENCH_ICOUNT_RUNS)); do \
		TXQG_BENCH_ICOUNT=1 TXQG_BENCH_TAG=$$n tests/bench/run.sh $(BENCH_KERNEL) --ctl-runs 0 $(BENCH_ARGS) || exit 1; \
	done
	[ $(BENCH_ICOUNT_RUNS) -lt 2 ] || tests/bench/agree.sh bench/results/$(BENCH_KERNEL).*.icount.txt

.PHONY: bench
