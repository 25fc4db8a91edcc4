#!/bin/bash
# Inside a VM: the function_graph tracer, as an operator debugging the datapath would set it, on
# the functions the guards hook (ovs_vport_send, which ovs_output returns from unrun, and the
# pick) and the OVS action loop above them, while the reproducer's window opens under enforce.
# The graph tracer's return hooks and the guard's skip share those entries: nothing may warn,
# crash or lock up, and the lethal outputs must still be caught.
#   graph-tracer.sh --ko PATH [--attach auto|ftrace|kprobe] [--hold-ms MS]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/scenarios/checks.sh"
. "$top/tests/scenarios/guarded.sh"
guarded_args graph-tracer.sh "$@"
tr=/sys/kernel/debug/tracing
traced="ovs_execute_actions ovs_vport_send netdev_pick_tx netdev_core_pick_tx"

modprobe openvswitch
insmod "$ko" attach="$attach" mode=enforce selftest=1 || exit 1
check "function_graph is an available tracer" grep -qw function_graph $tr/available_tracers
# Only the names this kernel can trace (a module's carry " [module]"): a pick may be inlined.
for f in $traced; do
	grep -Eq "^$f( \[.*\])?\$" $tr/available_filter_functions && echo "$f" >>$tr/set_graph_function
done
echo "graph-tracer: graphing $(tr '\n' ' ' <$tr/set_graph_function)"
check "the graph tracer is on" sh -c "echo function_graph >$tr/current_tracer"
guarded_race
check "the graph tracer recorded the guarded output path" grep -q 'ovs_execute_actions' $tr/trace
echo nop >$tr/current_tracer
echo >$tr/set_graph_function
echo "graph-tracer: $((n - failed)) of $n checks passed"
[ "$failed" -eq 0 ]
