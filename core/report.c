// SPDX-License-Identifier: MIT
/*
 * Views of the e820 result in the shape Linux exposes them to user space,
 * so a user can compare them with a booted system.
 */
#include "memprobe/machine.h"

/*
 * /sys/firmware/memmap/N/{start,end,type} for N = 0, 1, ...: built from the
 * table as the firmware gave it, before Linux's own edits.  One line per
 * directory: "start-end type", as `cat start end type` shows them.
 */
void report_firmware_memmap(struct mp_log *log, const struct e820_table *firmware)
{
	mp_printk(log, "memprobe: /sys/firmware/memmap:\n");
	for (uint32_t i = 0; i < firmware->nr_entries; i++) {
		const struct e820_entry *e = &firmware->entries[i];

		mp_printk(log, "0x%llx-0x%llx %s\n", (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1), e820_type_to_string(e->type));
	}
}

/*
 * The e820 entries of /proc/iomem (e820__reserve_resources): every entry of
 * the final table, in /proc/iomem's "%08llx-%08llx : name" form.  Devices,
 * the kernel image and PCI windows, which Linux adds later, are not shown.
 */
void report_iomem(struct mp_log *log, const struct e820_table *table)
{
	mp_printk(log, "memprobe: /proc/iomem (e820 entries):\n");
	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		mp_printk(log, "%08llx-%08llx : %s\n", (unsigned long long)e->addr,
			  (unsigned long long)(e->addr + e->size - 1), e820_type_to_string(e->type));
	}
}
