/* SPDX-License-Identifier: MIT */
/* Views of the result as Linux shows them to user space: /sys, /proc, numactl, lscpu. */
#ifndef MEMPROBE_REPORT_VIEWS_H
#define MEMPROBE_REPORT_VIEWS_H

#include <stdbool.h>

#include "memprobe/lib/printk.h"
#include "memprobe/x86/e820.h"

struct machine;
void report_firmware_memmap(struct mp_log *log, const struct e820_table *firmware);
void report_iomem(struct mp_log *log, const struct e820_table *table);
void report_nodes(const struct machine *m);
unsigned report_cpu_nodes(const struct machine *m, int *node_of, bool *guessed);
bool report_cpu_in_node(const struct machine *m, const int *node_of, unsigned c, int nid);

#endif
