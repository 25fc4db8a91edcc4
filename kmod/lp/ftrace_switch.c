// SPDX-License-Identifier: GPL-2.0
/* txqguard_lp.ko: the same code as txqguard.ko (see ../livepatch.c). */
#include "../ftrace_switch.c"
