// SPDX-License-Identifier: MIT
/*
 * topology.c: the possible CPUs.  Linux counts the MADT's CPU entries as it
 * walks them (6.1: acpi_register_lapic and generic_processor_info,
 * arch/x86/kernel/acpi/boot.c and apic/apic.c; 6.12: topology_register_apic,
 * arch/x86/kernel/cpu/topology.c), then prints how many CPUs it allows (6.1:
 * prefill_possible_map in smpboot.c; 6.12: topology_init_possible_cpus).
 * The boot CPU's APIC ID decides which entry is CPU 0.
 */
#include "memprobe/x86/topology.h"

#include "memprobe/machine.h"

#define BAD_APIC_ID UINT32_MAX

/**
 * cpu_count_init() - the counts before the MADT: Linux's defaults, the boot CPU
 * @c: the counts
 * @cpu: the boot CPU's facts (its APIC ID, when read)
 * @kernel: the Linux predicted: 6.12 has the boot CPU counted before the MADT
 */
void cpu_count_init(struct cpu_count *c, const struct cpu_facts *cpu, const struct linux_profile *kernel)
{
	c->nr_cpu_ids = NR_CPUS;
	c->setup_max_cpus = NR_CPUS;
	c->setup_possible_cpus = -1;
	c->boot_apic_id = cpu->known && cpu->apic_id_known ? cpu->apic_id : BAD_APIC_ID;
	c->present = kernel->cpu_topology_612 ? 1 : 0;
}

/*
 * 6.12's topology_apply_cmdline_limits_early(): maxcpus=0 leaves one CPU,
 * possible_cpus= caps nr_cpu_ids, both before the MADT is walked.
 */
void topology_apply_cmdline_limits_early(struct machine *m)
{
	struct cpu_count *c = &m->cpus;
	unsigned possible = c->nr_cpu_ids;

	if (!m->opts.kernel->cpu_topology_612)
		return;
	if (!c->setup_max_cpus)
		possible = 1;
	if (c->setup_possible_cpus >= 0 && (unsigned)c->setup_possible_cpus < possible)
		possible = (unsigned)c->setup_possible_cpus;
	if (possible < c->nr_cpu_ids) {
		mp_printk(m->log, "CPU topo: Limiting to %u possible CPUs\n", possible);
		c->nr_cpu_ids = possible;
	}
}

/* 6.12: the CPU number an APIC ID already has. */
static bool has_cpu_number(const struct cpu_count *c, uint32_t apic_id)
{
	for (unsigned i = 0; i < c->nr_present_ids; i++)
		if (c->present_ids[i] == apic_id)
			return true;
	return false;
}

/* 6.1: generic_processor_info() for an enabled CPU. */
static void generic_processor_info(struct machine *m, uint32_t apic_id)
{
	struct cpu_count *c = &m->cpus;
	unsigned max = c->nr_cpu_ids;

	if (!c->boot_seen && c->present >= max - 1 && apic_id != c->boot_apic_id) {
		mp_printk(m->log, "APIC: NR_CPUS/possible_cpus limit of %i almost reached. Keeping one slot for "
				  "boot cpu.  Processor %d/0x%x ignored.\n",
			  (int)max, (int)(max + c->disabled - 1), apic_id);
		c->disabled++;
		return;
	}
	if (c->present >= max) {
		mp_printk(m->log, "APIC: NR_CPUS/possible_cpus limit of %i reached. Processor %d/0x%x ignored.\n",
			  (int)max, (int)(max + c->disabled), apic_id);
		c->disabled++;
		return;
	}
	c->boot_seen |= apic_id == c->boot_apic_id;
	c->present++;
	if (apic_id != c->boot_apic_id && !has_cpu_number(c, apic_id) && c->nr_present_ids < NR_CPUS)
		c->present_ids[c->nr_present_ids++] = apic_id;
}

/*
 * 6.12's check for the real BSP, on the first APIC the firmware lists: the
 * boot CPU should be it.  If not, and the boot CPU is the BSP of reset (its
 * IA32_APIC_BASE says so; memprobe runs on the boot CPU, so a record without
 * the MSR is taken as a normal boot), the order is a firmware bug; if
 * neither, Linux takes itself for a crash kernel.  Return: whether Linux
 * rejects this APIC.
 */
static bool check_for_real_bsp(struct machine *m, uint32_t apic_id)
{
	struct cpu_count *c = &m->cpus;
	const struct cpu_record *boot = boot_cpu_record(m);
	bool is_bsp = !boot || cpu_apic_base_bsp(boot) != 0;

	if (c->real_bsp_seen)
		return false;
	if (apic_id == c->boot_apic_id) {
		if (is_bsp) {
			c->real_bsp_seen = true;
			return false;
		}
		/* the real BSP stays unknown: the next APIC is checked again */
		mp_printk(m->log, "CPU topo: Enumerated BSP APIC %x is not marked in APICBASE MSR\n", apic_id);
		mp_printk(m->log, "CPU topo: Assuming crash kernel. Limiting to one CPU to prevent machine INIT\n");
		c->nr_cpu_ids = 1;
	} else {
		c->real_bsp_seen = true;
		mp_printk(m->log, "CPU topo: Boot CPU APIC ID not the first enumerated APIC ID: %x != %x\n",
			  c->boot_apic_id, apic_id);
		if (!is_bsp) {
			mp_printk(m->log, "CPU topo: Crash kernel detected. Disabling real BSP to prevent machine "
					  "INIT\n");
			return true;
		}
	}
	fw_bug(m->log, "APIC", apic_id == c->boot_apic_id ? "bsp-bit-clear" : "bsp-not-first", FW_BUG_NO_OFFSET,
	       "CPU topo: [Firmware Bug]: APIC enumeration order not specification compliant\n");
	if (apic_id == c->boot_apic_id)
		mp_printk(m->log, "memprobe: the boot CPU (APIC ID %#x) is not marked as the BSP in its IA32_APIC_BASE: "
				  "Linux takes itself for a crash kernel and brings up one CPU\n",
			  apic_id);
	else
		mp_printk(m->log, "memprobe: the MADT's first CPU entry (APIC ID %#x) is not the boot CPU (%#x): the "
				  "ACPI specification wants the boot processor first\n",
			  apic_id, c->boot_apic_id);
	return false;
}

/* 6.12: topology_register_apic(). */
static void topology_register_apic(struct machine *m, uint32_t apic_id, bool enabled)
{
	struct cpu_count *c = &m->cpus;

	if (apic_id >= MAX_LOCAL_APIC_ID) {
		if (!c->rejected)	/* pr_err_once */
			mp_printk(m->log, "CPU topo: APIC ID %x exceeds kernel limit of: %x\n", apic_id,
				  MAX_LOCAL_APIC_ID - 1);
		c->rejected++;
		return;
	}
	if (check_for_real_bsp(m, apic_id)) {
		c->rejected++;
		return;
	}
	if (apic_id != c->boot_apic_id && c->present >= c->nr_cpu_ids) {
		if (!c->limit_said)
			mp_printk(m->log, "CPU topo: CPU limit of %d reached. Ignoring further CPUs\n",
				  (int)c->nr_cpu_ids);
		c->limit_said = true;
		c->rejected++;
		return;
	}
	if (!enabled) {
		c->disabled++;
		if (c->nr_hotplug_ids < NR_CPUS)
			c->hotplug_ids[c->nr_hotplug_ids++] = apic_id;
		return;
	}
	if (apic_id != c->boot_apic_id && !has_cpu_number(c, apic_id) && c->nr_present_ids < NR_CPUS) {
		c->present_ids[c->nr_present_ids++] = apic_id;
		c->present++;
	}
}

/* acpi_is_processor_usable(): 6.12 counts a disabled entry without the online-capable bit only in a VM. */
static bool usable(const struct machine *m, const struct madt_cpu *p)
{
	if (p->enabled)
		return true;
	if (m->cpus.online_capable)
		return p->online_capable;
	return !m->opts.kernel->cpu_topology_612 || m->cpus.linux_hypervisor;
}

/* One MADT CPU entry, as acpi_parse_lapic or acpi_parse_x2apic counts it. */
static void acpi_register_lapic(struct machine *m, const struct madt_cpu *p)
{
	struct cpu_count *c = &m->cpus;
	bool v612 = m->opts.kernel->cpu_topology_612;

	if (p->apic_id == (p->x2apic ? UINT32_MAX : 0xff) || !usable(m, p))
		return;
	if (c->boot_apic_id == BAD_APIC_ID && p->enabled) {
		c->boot_apic_id = p->apic_id;	/* not read: the first enabled entry, as firmware lists the BSP */
		c->boot_apic_id_assumed = true;
	}
	if (p->x2apic && v612 && c->has_lapic_cpus && p->apic_id < 0xff)
		return;
	if (p->x2apic && p->apic_id >= 0xff) {
		/* The APIC driver in force while the MADT is walked takes them in x2APIC mode only. */
		if (c->x2apic_mode < 0) {
			c->unknown = true;
			return;
		}
		if (!c->x2apic_mode) {
			if (p->enabled)
				mp_printk(m->log, "ACPI: x2apic entry ignored\n");
			c->x2apic_ignored += p->enabled;
			return;
		}
	}
	if (v612) {
		topology_register_apic(m, p->apic_id, p->enabled);
		return;
	}
	if (p->apic_id >= MAX_LOCAL_APIC_ID) {
		mp_printk(m->log, "ACPI: skipped apicid that is too big\n");
		return;
	}
	if (!p->enabled) {
		c->disabled++;
		return;
	}
	generic_processor_info(m, p->apic_id);
}

/**
 * acpi_register_lapics() - the MADT's CPU entries, as Linux's walk counts them
 * @m: the machine (cpus.online_capable set from the FADT)
 * @madt: the entries, in the MADT's order
 *
 * Prints what Linux prints while it counts (the limits it hits).
 */
void acpi_register_lapics(struct machine *m, const struct madt_info *madt)
{
	struct cpu_count *c = &m->cpus;

	const struct cpu_record *boot = boot_cpu_record(m);
	bool known;

	/* --live: IA32_APIC_BASE is Linux's, which turns x2APIC mode on itself: the firmware's mode is not known */
	c->x2apic_mode = boot && m->fw->cpus.source != CPUS_LINUX ? cpu_x2apic_mode(boot) : -1;
	c->linux_hypervisor = boot ? cpu_linux_hypervisor(boot, &known) : m->fw->cpu.hypervisor;
	if (boot && !known)
		c->linux_hypervisor = m->fw->cpu.hypervisor;
	if (c->x2apic_mode > 0)
		mp_printk(m->log, "memprobe: the firmware left the boot CPU's APIC in x2APIC mode: Linux's x2apic and "
				  "APIC routing lines are not predicted\n");
	c->unknown |= madt->dropped_cpus > 0;
	for (unsigned i = 0; i < madt->nr_cpus; i++)	/* acpi_check_lapic()'s pass, before the walk */
		c->has_lapic_cpus |= !madt->cpus[i].x2apic && madt->cpus[i].apic_id != 0xff &&
				     usable(m, &madt->cpus[i]);
	for (unsigned i = 0; i < madt->nr_cpus; i++)
		acpi_register_lapic(m, &madt->cpus[i]);
	if (c->x2apic_ignored)
		fw_bug(m->log, "APIC", "x2apic-ids-in-xapic-mode", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: MADT: %u enabled CPUs have x2APIC IDs of 255 or more, but the "
		       "firmware left the boot CPU's APIC in xAPIC mode, where they cannot be addressed: Linux "
		       "ignores them\n",
		       c->x2apic_ignored);
}

/*
 * The CPUs smp_init() brings up: the boot CPU, then the present CPUs in
 * CPU-number order, as many as are possible and maxcpus= lets online.
 */
static void cpu_bringup_init(struct machine *m, unsigned possible)
{
	const struct cpu_count *c = &m->cpus;
	struct cpu_bringup *b = &m->bringup;
	unsigned limit = c->setup_max_cpus > 0 ? (unsigned)c->setup_max_cpus : 1;

	if (possible > limit)
		possible = limit;
	b->known = true;
	b->apic_id[0] = c->boot_apic_id;
	b->nr = 1;
	for (unsigned i = 0; i < c->nr_present_ids && b->nr < possible; i++)
		b->apic_id[b->nr++] = c->present_ids[i];
}

/* 6.1's prefill_possible_map(). */
static void prefill_possible_map(struct machine *m)
{
	struct cpu_count *c = &m->cpus;
	unsigned limit = c->setup_max_cpus ? (unsigned)c->setup_max_cpus : 1;
	int possible;

	if (!c->present) {
		mp_printk(m->log, "smpboot: Boot CPU (id %d) not listed by BIOS\n", (int)c->boot_apic_id);
		c->present = 1;
	}
	if (c->setup_possible_cpus == -1)
		possible = (int)(c->present + (c->setup_max_cpus ? c->disabled : 0));
	else
		possible = c->setup_possible_cpus;
	if (possible > (int)c->nr_cpu_ids) {
		mp_printk(m->log, "smpboot: %d Processors exceeds NR_CPUS limit of %u\n", possible, c->nr_cpu_ids);
		possible = (int)c->nr_cpu_ids;
	}
	if (!c->setup_max_cpus && possible > (int)limit) {
		mp_printk(m->log, "smpboot: %d Processors exceeds max_cpus limit of %u\n", possible,
			  (unsigned)c->setup_max_cpus);
		possible = (int)limit;
	}
	mp_printk(m->log, "smpboot: Allowing %d CPUs, %d hotplug CPUs\n", possible,
		  possible > (int)c->present ? possible - (int)c->present : 0);
	c->total_cpus = c->present + c->disabled > (unsigned)possible ? c->present + c->disabled : (unsigned)possible;
	c->possible = (unsigned)possible;
	cpu_bringup_init(m, (unsigned)possible);
}

/**
 * boot_cpu_record() - the boot CPU's record
 * @m: the machine
 *
 * Return: the record, or NULL when the run holds none or the boot CPU was not read.
 */
const struct cpu_record *boot_cpu_record(const struct machine *m)
{
	const struct cpu_records *c = &m->fw->cpus;

	return c->source != CPUS_NOT_READ && c->nr && c->cpu[0].state == CPU_READ ? &c->cpu[0] : NULL;
}

static void set_domain(struct topo_shifts *t, enum topo_domain d, unsigned shift)
{
	for (unsigned i = d; i < TOPO_DOMAINS; i++)
		t->shift[i] = shift;
}

/* Whether leaf 0x1F is implemented: its subleaf 0 names a level. */
static bool has_leaf_1f(const struct cpu_record *r)
{
	const struct cpuid_regs *l0 = cpu_cpuid(r, 0, 0), *l;

	return l0 && l0->eax >= 0x1f && (l = cpu_cpuid(r, 0x1f, 0)) && (l->ebx & 0xffff) && (l->ecx & 0xff00);
}

/* Leaf 0x1F or 0xB, when implemented: each level's shift.  Return: whether it was there. */
static bool parse_topology_ext(const struct cpu_record *r, struct topo_shifts *t)
{
	static const enum topo_domain of_type[] = { TOPO_PKG, TOPO_SMT, TOPO_CORE, TOPO_MODULE, TOPO_TILE,
						    TOPO_DIE, TOPO_DIEGRP };
	const struct cpuid_regs *l0 = cpu_cpuid(r, 0, 0), *l;
	uint32_t leaf = 0x1f;

	if (!has_leaf_1f(r))
		leaf = 0xb;
	if (leaf == 0xb && (!l0 || l0->eax < 0xb || !(l = cpu_cpuid(r, 0xb, 0)) || !(l->ebx & 0xffff) ||
			    !(l->ecx & 0xff00)))
		return false;
	for (uint32_t sub = 0; (l = cpu_cpuid(r, leaf, sub)) && (l->ebx & 0xffff) && (l->ecx & 0xff00); sub++) {
		unsigned type = (l->ecx >> 8) & 0xff;

		if (type < sizeof(of_type) / sizeof(of_type[0]) && (leaf == 0x1f || type <= 2))
			set_domain(t, of_type[type], l->eax & 0x1f);
	}
	return true;
}

/*
 * 6.12's AMD leaf 0x80000026 (Zen 4 on): its levels are the thread, the
 * complex (CCX), the die (CCD) and the socket, taken as SMT, CORE, TILE and
 * DIE.  Return: 1 parsed, 0 not there, -1 a level memprobe does not model.
 */
static int parse_amd_8000_0026(const struct cpu_record *r, struct topo_shifts *t)
{
	static const enum topo_domain of_type[] = { TOPO_PKG, TOPO_SMT, TOPO_CORE, TOPO_TILE, TOPO_DIE };
	const struct cpuid_regs *l = cpu_cpuid(r, 0x80000026, 0);

	if (!l || !(l->ebx & 0xffff) || !(l->ecx & 0xff00))
		return 0;
	for (uint32_t sub = 0; (l = cpu_cpuid(r, 0x80000026, sub)) && (l->ebx & 0xffff) && (l->ecx & 0xff00); sub++) {
		unsigned type = (l->ecx >> 8) & 0xff, shift = l->eax & 0x1f;

		if (type >= sizeof(of_type) / sizeof(of_type[0]))
			return -1;	/* Linux names an unknown type and counts on: not modelled */
		if (type == 1 && !shift && (l->ebx & 0xffff) > 1)
			shift = get_count_order(l->ebx & 0xffff);	/* Linux's fix-up, with a firmware-bug line */
		set_domain(t, of_type[type], shift);
	}
	return 1;
}

/**
 * topology_shifts() - the APIC-ID bits of each topology domain, from the boot CPU's CPUID
 * @m: the machine
 * @v612: 6.12's parse (leaf 0x1F/0xB first on AMD too); else 6.1's
 * @t: the shifts; t->known false when the record is missing or the CPU is one memprobe
 *     does not model (6.12 on AMD with TOPOEXT and no leaf 0xB, or with an unknown level of
 *     leaf 0x80000026)
 */
void topology_shifts(const struct machine *m, bool v612, struct topo_shifts *t)
{
	const struct cpu_record *r = boot_cpu_record(m);
	const struct cpuid_regs *l1, *l8, *e1, *l4;
	bool amd = !mp_strcmp(m->paging.cpu.vendor, "AuthenticAMD") || !mp_strcmp(m->paging.cpu.vendor, "HygonGenuine");

	mp_memset(t, 0, sizeof(*t));
	if (!r || !(l1 = cpu_cpuid(r, 1, 0)))
		return;
	e1 = cpu_cpuid(r, 0x80000001, 0);
	l8 = cpu_cpuid(r, 0x80000008, 0);
	t->known = true;
	if (amd) {
		bool topoext = e1 && (e1->ecx & (1u << 22));
		unsigned core = l8 ? (l8->ecx >> 12) & 0xf : 0;

		const struct cpuid_regs *e0 = cpu_cpuid(r, 0x80000000, 0);

		/* 6.12: leaf 0x1F, then Zen 4's 0x80000026, then 0xB */
		if (v612 && e0 && e0->eax >= 0x80000026 && e0->eax < 0x80010000 && !has_leaf_1f(r)) {
			int parsed = parse_amd_8000_0026(r, t);

			if (parsed) {
				t->known = parsed > 0;
				return;
			}
			if (!cpu_cpuid(r, 0x80000026, 0)) {	/* a record from before memprobe read it */
				t->known = false;
				return;
			}
		}
		if (v612 && parse_topology_ext(r, t))
			return;
		if (l8 && !core)
			core = get_count_order((l8->ecx & 0xff) + 1);
		if (topoext && !v612) {
			/* 6.1's amd_get_topology(): leaf 0xB when it is there, else 0x8000001E's threads per core */
			const struct cpuid_regs *e1e = cpu_cpuid(r, 0x8000001e, 0);

			if (parse_topology_ext(r, t))
				return;
			if (!e1e) {
				t->known = false;
				return;
			}
			set_domain(t, TOPO_SMT, get_count_order(((e1e->ebx >> 8) & 0xff) + 1));
		} else {
			t->known = !topoext;	/* 6.12 without leaf 0xB or 0x80000026: not modelled */
		}
		set_domain(t, TOPO_CORE, core);
		return;
	}
	if (parse_topology_ext(r, t))
		return;
	l4 = cpu_cpuid(r, 4, 0);
	{
		unsigned cores = l4 && (l4->eax & 0x1f) ? (l4->eax >> 26) + 1 : 1, core = get_count_order(cores), smt = 0;

		if (l1->edx & (1u << 28)) {
			unsigned threads = get_count_order((l1->ebx >> 16) & 0xff);

			smt = threads > core ? threads - core : 0;
			core += smt;
		}
		set_domain(t, TOPO_SMT, smt);
		set_domain(t, TOPO_CORE, core);
	}
}

/*
 * Distinct domain IDs (the APIC ID without the bits below the domain) among
 * the APIC IDs in [base, base + span).
 */
static unsigned count_domains(const uint32_t *ids, unsigned nr, unsigned shift, uint32_t base, uint32_t span)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nr; i++) {
		bool seen = false;

		if (ids[i] - base >= span)
			continue;
		for (unsigned k = 0; k < i && !seen; k++)
			seen = ids[k] - base < span && ids[k] >> shift == ids[i] >> shift;
		n += !seen;
	}
	return n;
}

/* 6.12's "Max. logical packages:" to "Num. threads per package:", from the registered APIC IDs. */
static void print_topology_counts(struct machine *m)
{
	struct cpu_count *c = &m->cpus;
	struct topo_shifts t;
	static const char *const fmt[6] = {
		"CPU topo: Max. logical packages: %3u\n", "CPU topo: Max. logical dies:     %3u\n",
		"CPU topo: Max. dies per package: %3u\n", "CPU topo: Max. threads per core: %3u\n",
		"CPU topo: Num. cores per package:   %3u\n", "CPU topo: Num. threads per package: %3u\n",
	};
	unsigned v[6], nr = 0, w_smt, w_core, w_die, w_pkg;
	uint32_t *ids = c->registered, first, base, span;

	topology_shifts(m, true, &t);
	if (!t.known) {
		mp_printk(m->log, "memprobe: CPU topo: the 'Max. logical packages' to 'Num. threads per package' "
				  "lines need the boot CPU's topology leaves%s: not predicted\n",
			  boot_cpu_record(m) ? " (6.12 on an AMD CPU with TOPOEXT and no leaf 0xB or 0x80000026: not modelled)"
					     : ", which the run does not hold");
		return;
	}
	ids[nr++] = c->boot_apic_id;
	for (unsigned i = 0; i < c->nr_present_ids; i++)
		ids[nr++] = c->present_ids[i];
	for (unsigned i = 0; i < c->nr_hotplug_ids && nr < NR_CPUS; i++)
		ids[nr++] = c->hotplug_ids[i];
	w_smt = count_domains(ids, nr, 0, 0, UINT32_MAX);
	w_core = count_domains(ids, nr, t.shift[TOPO_SMT], 0, UINT32_MAX);
	w_die = count_domains(ids, nr, t.shift[TOPO_TILE], 0, UINT32_MAX);
	w_pkg = count_domains(ids, nr, t.shift[TOPO_DIEGRP], 0, UINT32_MAX);
	first = ids[0];
	for (unsigned i = 1; i < nr; i++)
		first = ids[i] < first ? ids[i] : first;
	span = t.shift[TOPO_PKG] < 32 ? 1u << t.shift[TOPO_PKG] : UINT32_MAX;
	base = t.shift[TOPO_PKG] < 32 ? first & ~(span - 1) : 0;
	v[0] = w_pkg;
	v[1] = w_die;
	v[2] = get_count_order(w_die) > get_count_order(w_pkg) ? 1u << (get_count_order(w_die) - get_count_order(w_pkg)) : 1;
	v[3] = (w_smt + w_core - 1) / w_core;
	v[4] = count_domains(ids, nr, t.shift[TOPO_SMT], base, span);
	v[5] = count_domains(ids, nr, 0, base, span);
	for (unsigned i = 0; i < 6; i++)
		mp_printk(m->log, fmt[i], v[i]);
	c->counts_printed = true;
}

/* 6.12's topology_init_possible_cpus(), the lines it prints about the counts. */
static void topology_init_possible_cpus(struct machine *m)
{
	struct cpu_count *c = &m->cpus;
	unsigned assigned = c->present, disabled = c->disabled, total = assigned + disabled, allowed = 1;

	if (m->madt.lapic_ok) {		/* !restrict_to_up(): the MADT gave the SMP configuration */
		if (assigned > c->nr_cpu_ids) {
			disabled += assigned - c->nr_cpu_ids;
			assigned = c->nr_cpu_ids;
		}
		allowed = total < c->nr_cpu_ids ? total : c->nr_cpu_ids;
	}
	if (total > allowed)
		mp_printk(m->log, "CPU topo: %u possible CPUs exceed the limit of %u\n", total, allowed);
	assigned = assigned < allowed ? assigned : allowed;
	disabled = allowed - assigned;
	print_topology_counts(m);
	mp_printk(m->log, "CPU topo: Allowing %u present CPUs plus %u hotplug CPUs\n", assigned, disabled);
	if (c->rejected)
		mp_printk(m->log, "CPU topo: Rejected CPUs %u\n", c->rejected);
	c->possible = assigned + disabled;
	cpu_bringup_init(m, assigned);
}

/**
 * init_possible_cpus() - the possible CPUs, once the MADT is walked
 * @m: the machine, after acpi_boot_init
 *
 * 6.1's "smpboot: Allowing N CPUs, M hotplug CPUs", or 6.12's "CPU topo:
 * Allowing N present CPUs plus M hotplug CPUs", with the limit warnings
 * before it; or a memprobe line naming what it cannot count.
 */
void init_possible_cpus(struct machine *m)
{
	struct cpu_count *c = &m->cpus;

	if (!m->opts.kernel->cpu_topology_612 && !c->present && c->boot_apic_id == BAD_APIC_ID) {
		mp_printk(m->log, "memprobe: the MADT lists no enabled CPU and the boot CPU's APIC ID was not read, "
				  "so Linux's \"Boot CPU (id N) not listed by BIOS\" and the possible CPUs are not "
				  "predicted\n");
		return;
	}
	if (c->unknown) {
		mp_printk(m->log, "memprobe: an x2APIC entry of the MADT has an ID of 255 or more, which Linux "
				  "counts only with the APIC in x2APIC mode; the firmware's mode is not known (an older "
				  "run folder without IA32_APIC_BASE, or --live, where the register is Linux's), so the "
				  "possible CPUs are not predicted\n");
		return;
	}
	if (c->boot_apic_id_assumed)
		mp_printk(m->log, "memprobe: the boot CPU's APIC ID was not read; taken as the MADT's first "
				  "enabled CPU (0x%x)\n",
			  c->boot_apic_id);
	if (m->opts.kernel->cpu_topology_612)
		topology_init_possible_cpus(m);
	else
		prefill_possible_map(m);
}
