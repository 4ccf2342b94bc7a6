// SPDX-License-Identifier: MIT
/*
 * MADT: the CPU list the NUMA stage needs, Linux's lines for the entries it
 * prints at acpi_boot_init() (NMI and interrupt source overrides), and a
 * cross-check of the CPUs against the SRAT.
 */
#include "memprobe/acpi/madt.h"

#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"

#define MADT_HEADER_SIZE 44

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_INT_SRC_OVR = 2,
	MADT_NMI_SRC = 3,
	MADT_LAPIC_NMI = 4,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

static const char *const polarity[] = { "dfl", "high", "res", "low" };
static const char *const trigger[] = { "dfl", "edge", "res", "level" };

/* Minimum length of each subtable type memprobe reads. */
static uint8_t needed_length(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_INT_SRC_OVR: return 10;
	case MADT_NMI_SRC: return 8;
	case MADT_LAPIC_NMI: return 6;
	case MADT_X2APIC: return 16;
	case MADT_X2APIC_NMI: return 12;
	default: return 2;
	}
}

/* A little-endian field of 1, 2 or 4 bytes; 0 past the table's end. */
static uint32_t rd(const struct acpi_table *t, uint32_t off, unsigned size)
{
	return size == 1 ? acpi_u8(t, off) : size == 2 ? acpi_u16(t, off) : acpi_u32(t, off);
}

static void add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2apic)
{
	if (m->nr_cpus == MADT_MAX_CPUS) {
		m->dropped_cpus++;
		return;
	}
	m->cpus[m->nr_cpus++] = (struct madt_cpu){ apic_id, uid, flags & 1, (flags & 2) != 0, x2apic };
}

/**
 * madt_parse() - acpi_process_madt()'s walk of the MADT instance Linux uses
 * @m: what the MADT says
 * @at: the tables
 * @instance: acpi_apic_instance=
 * @h: what to do with the CPU and IO APIC entries (NULL: nothing)
 * @log: Linux's lines
 *
 * In the order Linux prints them: CPUs (one pass over both kinds, silent in
 * Linux), then every x2APIC NMI before every local APIC NMI (two passes, as
 * acpi_parse_madt_lapic_entries makes them), IO APICs, interrupt source
 * overrides, NMI sources.  Without a CPU entry Linux stops after the CPUs,
 * without an IO APIC entry after the IO APICs; @m says which it got to.
 */
void madt_parse(struct madt_info *m, const struct acpi_tables *at, int instance,
		const struct madt_handlers *h, struct mp_log *log)
{
	const struct acpi_table *t = acpi_get_table(at, "APIC", (unsigned)instance);
	static const uint8_t order[][2] = {
		{ MADT_X2APIC, MADT_LAPIC },	     { MADT_X2APIC_NMI, MADT_X2APIC_NMI },
		{ MADT_LAPIC_NMI, MADT_LAPIC_NMI },   { MADT_IOAPIC, MADT_IOAPIC },
		{ MADT_INT_SRC_OVR, MADT_INT_SRC_OVR }, { MADT_NMI_SRC, MADT_NMI_SRC },
	};

	mp_memset(m, 0, sizeof(*m));
	if (!t)
		return;
	m->present = true;
	if (t->length < MADT_HEADER_SIZE) {
		fw_bug(log, "MADT", "length", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: MADT: length %u is shorter than its %u-byte "
		       "header\n",
		       t->length, MADT_HEADER_SIZE);
		m->problems++;
		return;
	}
	m->lapic_address = rd(t, 36, 4);
	m->flags = rd(t, 40, 4);
	mp_printk(log, "memprobe: MADT: local APIC address 0x%08x, flags 0x%x%s\n", m->lapic_address,
		  m->flags, m->flags & 1 ? " (PC-AT compatible 8259s)" : "");
	for (unsigned pass = 0; pass < sizeof(order) / sizeof(order[0]); pass++) {
		if (pass == 1 && !(m->lapic_ok = m->nr_cpus + m->dropped_cpus > 0)) {
			mp_printk(log, "ACPI: No LAPIC entries present\n");
			break;
		}
		if (pass == 1 && h && h->cpus)
			h->cpus(h->ctx, m);
		if (pass == 3 && h && h->skip_ioapic) {
			mp_printk(log, "ACPI: Skipping IOAPIC probe due to 'noapic' option.\n");
			break;
		}
		if (pass == 4 && m->nr_ioapics > MADT_MAX_IOAPIC_ENTRIES) {
			if (h && h->warn_past_max)
				mp_printk(log, "[APIC:0x%02x] ignored %u entries of %u found\n", MADT_IOAPIC,
					  m->nr_ioapics - MADT_MAX_IOAPIC_ENTRIES, m->nr_ioapics);
			fw_bug(log, "MADT", "too-many-ioapics", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MADT lists %u IO APICs; Linux reads the first %u\n",
			       m->nr_ioapics, MADT_MAX_IOAPIC_ENTRIES);
		}
		if (pass == 4 && !(m->ioapic_ok = m->nr_ioapics > 0)) {
			mp_printk(log, "ACPI: No IOAPIC entries present\n");
			break;
		}
		for (uint32_t off = MADT_HEADER_SIZE; off + 2 <= t->length;) {
			uint8_t type = (uint8_t)rd(t, off, 1), len = (uint8_t)rd(t, off + 1, 1);

			if (len < 2 || off + len > t->length) {
				if (pass == 0) {
					fw_bug(log, "MADT", "length", off,
					       "memprobe: [Firmware Bug]: MADT at offset 0x%x: subtable "
					       "type %u has length %u%s; the rest is not read\n",
					       off, type, len,
					       len < 2 ? "" : ", past the table's end");
					m->problems++;
				}
				break;
			}
			if (type != order[pass][0] && type != order[pass][1]) {
				off += len;
				continue;
			}
			if (len < needed_length(type)) {
				fw_bug(log, "MADT", "length", off,
				       "memprobe: [Firmware Bug]: MADT at offset 0x%x: type %u "
				       "subtable is %u bytes, shorter than %u; skipped\n",
				       off, type, len, needed_length(type));
				m->problems++;
				off += len;
				continue;
			}
			switch (type) {
			case MADT_LAPIC:
				add_cpu(m, rd(t, off + 3, 1), rd(t, off + 2, 1), rd(t, off + 4, 4), false);
				break;
			case MADT_X2APIC:
				add_cpu(m, rd(t, off + 4, 4), rd(t, off + 12, 4), rd(t, off + 8, 4), true);
				break;
			case MADT_LAPIC_NMI: {
				uint32_t f = rd(t, off + 3, 2);

				mp_printk(log, "ACPI: LAPIC_NMI (acpi_id[0x%02x] %s %s lint[0x%x])\n",
					  rd(t, off + 2, 1), polarity[f & 3], trigger[(f >> 2) & 3],
					  rd(t, off + 5, 1));
				break;
			}
			case MADT_X2APIC_NMI: {
				uint32_t f = rd(t, off + 2, 2);

				mp_printk(log, "ACPI: X2APIC_NMI (uid[0x%02x] %s %s lint[0x%x])\n",
					  rd(t, off + 4, 4), polarity[f & 3], trigger[(f >> 2) & 3],
					  rd(t, off + 8, 1));
				break;
			}
			case MADT_IOAPIC:
				if (h && h->ioapic && m->nr_ioapics < MADT_MAX_IOAPIC_ENTRIES)
					h->ioapic(h->ctx, (uint8_t)rd(t, off + 2, 1), rd(t, off + 4, 4),
						  rd(t, off + 8, 4), off);
				m->nr_ioapics++;
				break;
			case MADT_INT_SRC_OVR: {
				uint32_t f = rd(t, off + 8, 2);

				mp_printk(log, "ACPI: INT_SRC_OVR (bus %d bus_irq %d global_irq %d %s %s)\n",
					  (int)rd(t, off + 2, 1), (int)rd(t, off + 3, 1),
					  (int)rd(t, off + 4, 4), polarity[f & 3], trigger[(f >> 2) & 3]);
				if (f & ~0xfu)
					mp_printk(log, "ACPI: INT_SRC_OVR unexpected reserved flags: 0x%x\n",
						  f & ~0xfu);
				break;
			}
			case MADT_NMI_SRC: {
				uint32_t f = rd(t, off + 2, 2);

				mp_printk(log, "ACPI: NMI_SRC (%s %s global_irq %d)\n", polarity[f & 3],
					  trigger[(f >> 2) & 3], (int)rd(t, off + 4, 4));
				break;
			}
			default:
				break;
			}
			off += len;
		}
	}
	for (unsigned i = 0; i < m->nr_cpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];

		mp_printk(log, "memprobe: MADT: CPU %u: %s 0x%02x, ACPI UID %u, %s\n", i,
			  c->x2apic ? "x2APIC" : "APIC", c->apic_id, c->uid,
			  c->enabled ? "enabled" : c->online_capable ? "online capable" : "disabled");
	}
	if (m->dropped_cpus)
		mp_printk(log, "memprobe: warning: MADT lists %u more CPUs than Linux's NR_CPUS (%d); "
			       "not shown\n",
			  m->dropped_cpus, MADT_MAX_CPUS);
}

/**
 * check_multiple_madt() - Linux's warning when the firmware has two MADTs
 * @instance: acpi_apic_instance= (0 by default)
 * Return: the instance Linux goes on to use: @instance, or 0 when there is
 * only one MADT.
 */
int check_multiple_madt(const struct acpi_tables *at, int instance, struct mp_log *log)
{
	if (!acpi_get_table(at, "APIC", 2))
		return 0;
	mp_printk(log, "ACPI: BIOS bug: multiple APIC/MADT found, using %d\n", instance);
	mp_printk(log, "ACPI: If \"acpi_apic_instance=%d\" works better, notify "
		       "linux-acpi@vger.kernel.org\n",
		  instance ? 0 : 2);
	return instance;
}

/*
 * Every enabled MADT CPU should have an SRAT affinity entry once the SRAT
 * lists any CPU, and every CPU the SRAT names should exist in the MADT.
 * Both sides are what the tables say, whatever Linux later does with the
 * SRAT.  Each kind is reported with a few examples and a count.
 */
void madt_cross_check(const struct madt_info *m, const struct srat_info *s, struct mp_log *log)
{
	uint8_t in_madt[MAX_LOCAL_APIC / 8];
	struct mp_findings no_affinity = { 0 }, not_in_madt = { 0 };
	bool srat_has_cpus = false;

	if (!m->present || !s->present)
		return;
	for (unsigned a = 0; a < MAX_LOCAL_APIC && !srat_has_cpus; a++)
		srat_has_cpus = s->apicid_to_node[a] != NUMA_NO_NODE;
	if (!srat_has_cpus)
		return;
	mp_memset(in_madt, 0, sizeof(in_madt));
	for (unsigned i = 0; i < m->nr_cpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];

		if (c->apic_id < MAX_LOCAL_APIC)
			in_madt[c->apic_id / 8] |= (uint8_t)(1u << (c->apic_id % 8));
		if (c->enabled && (c->apic_id >= MAX_LOCAL_APIC ||
				   s->apicid_to_node[c->apic_id] == NUMA_NO_NODE) &&
		    mp_finding(&no_affinity))
			fw_bug(log, "MADT", "no-affinity", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MADT CPU with APIC ID 0x%x has no SRAT "
			       "affinity entry; Linux picks its node when it brings the CPU up\n",
			       c->apic_id);
	}
	fw_bug_more(log, "MADT", "no-affinity", &no_affinity, "MADT CPUs without an SRAT affinity entry");
	for (unsigned a = 0; a < MAX_LOCAL_APIC; a++)
		if (s->apicid_to_node[a] != NUMA_NO_NODE && !(in_madt[a / 8] >> (a % 8) & 1) &&
		    mp_finding(&not_in_madt))
			fw_bug(log, "SRAT", "not-in-madt", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: SRAT names APIC ID 0x%x (node %d), which "
			       "the MADT does not list\n",
			       a, s->apicid_to_node[a]);
	fw_bug_more(log, "SRAT", "not-in-madt", &not_in_madt, "SRAT APIC IDs the MADT does not list");
}
