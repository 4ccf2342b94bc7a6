// SPDX-License-Identifier: MIT
/*
 * The CPUs' bring-up (smp_init) and what is printed around it: the boot
 * CPU's name (print_cpu_info), and after bring-up each AP's MTRRs against
 * the boot CPU's (mtrr_state_warn).
 */
#include "memprobe/x86/smpboot.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

/* Linux's vendor names for the CPUID 0 strings a 64-bit kernel knows. */
static const char *vendor_name(const char *id)
{
	static const char *const known[][2] = {
		{ "AuthenticAMD", "AMD" }, { "GenuineIntel", "Intel" }, { "HygonGenuine", "Hygon" },
		{ "CentaurHauls", "Centaur" }, { "  Shanghai  ", "zhaoxin" },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
		if (!mp_strcmp(id, known[i][0]))
			return known[i][1];
	return id;
}

/* Whether needle occurs in hay. */
static bool contains(const char *hay, const char *needle)
{
	size_t n = mp_strlen(needle);

	for (; *hay; hay++)
		if (!mp_memcmp(hay, needle, n))
			return true;
	return !n;
}

/* get_model_name(): the brand string of 0x80000002-4, leading spaces skipped, trailing white space cut. */
static void model_name(const struct cpu_record *c, char name[49])
{
	const struct cpuid_regs *l;
	char raw[49];
	size_t start = 0, end;

	name[0] = '\0';
	for (unsigned i = 0; i < 3; i++) {
		if (!(l = cpu_cpuid(c, 0x80000002 + i, 0)))
			return;
		mp_memcpy(raw + 16 * i, &l->eax, 4);
		mp_memcpy(raw + 16 * i + 4, &l->ebx, 4);
		mp_memcpy(raw + 16 * i + 8, &l->ecx, 4);
		mp_memcpy(raw + 16 * i + 12, &l->edx, 4);
	}
	raw[48] = '\0';
	while (raw[start] == ' ')
		start++;
	end = mp_strlen(raw + start) + start;
	if (end == start && start)	/* all spaces: Linux keeps the first */
		start--;
	while (end > start + 1 && (raw[end - 1] == ' ' || (raw[end - 1] >= '\t' && raw[end - 1] <= '\r') ||
				   (unsigned char)raw[end - 1] == 0xa0))
		end--;
	mp_memcpy(name, raw + start, end - start);
	name[end - start] = '\0';
}

/* "smpboot: CPU0: <vendor> <model> (family: 0x.., model: 0x.., stepping: 0x..)" */
static void print_cpu_info(struct machine *m, const struct cpu_record *c)
{
	const struct cpuid_regs *l1 = cpu_cpuid(c, 1, 0);
	const char *vendor = vendor_name(m->paging.cpu.vendor);
	unsigned family, model;
	char name[49], shown[4 * 48 + 1], vendor_shown[4 * 12 + 1];

	if (!l1)
		return;
	cpuid_family_model(l1->eax, &family, &model);
	model_name(c, name);
	if (!name[0])
		mp_snprintf(name, sizeof(name), "%02x/%02x", family, model);
	mp_printk(m->log, "smpboot: CPU0: %s%s%s (family: 0x%x, model: 0x%x, stepping: 0x%x)\n",
		  contains(name, vendor) ? "" : mp_escape(vendor_shown, sizeof(vendor_shown), vendor, 12, false),
		  contains(name, vendor) ? "" : " ",
		  mp_escape(shown, sizeof(shown), name, sizeof(name), false), family, model, l1->eax & 0xf);
}

/* The CPUID of the CPU of an APIC ID, when read. */
static const struct cpu_record *record_of(const struct machine *m, uint32_t apic_id)
{
	const struct cpu_records *cpus = &m->fw->cpus;

	for (unsigned i = 0; i < cpus->nr; i++)
		if (cpus->cpu[i].apic_id == apic_id && cpus->cpu[i].state == CPU_READ)
			return &cpus->cpu[i];
	return NULL;
}

static unsigned num_digits(int v)
{
	unsigned n = v < 0 ? 2 : 1;

	for (v = v < 0 ? -v : v; v >= 10; v /= 10)
		n++;
	return n;
}

static int srat_node(const struct machine *m, uint32_t apic_id)
{
	return apic_id < MAX_LOCAL_APIC ? m->numa.apicid_to_node[apic_id] : NUMA_NO_NODE;
}

/* numa_init_array()'s round robin: CPU number c gets the (c mod K)-th online node. */
static int round_robin_node(const struct machine *m, unsigned cpu)
{
	int online = nodes_weight(m->numa.online), nid;
	unsigned pick;

	if (!online)
		return 0;
	pick = cpu % (unsigned)online;
	for_each_node_mask(nid, m->numa.online)
		if (pick-- == 0)
			return nid;
	return 0;
}

/**
 * init_cpu_to_node() - the nodes online once every present CPU's node is
 * @m: the machine, after init_possible_cpus
 *
 * A CPU's SRAT node without memory comes online memory-less.
 */
void init_cpu_to_node(struct machine *m)
{
	mp_memcpy(m->numa.online_after, m->numa.online, sizeof(m->numa.online));
	for (unsigned i = 0; i < m->cpus.nr_present_ids + 1; i++) {
		uint32_t a = i ? m->cpus.present_ids[i - 1] : m->cpus.boot_apic_id;

		if (srat_node(m, a) != NUMA_NO_NODE)
			node_set(m->numa.online_after, srat_node(m, a));
	}
}

/**
 * early_cpu_to_node() - a possible CPU's node before the CPUs come up
 * @m: the machine, after init_possible_cpus
 * @cpu: the CPU number
 *
 * init_cpu_to_node(): the SRAT's node of the CPU's APIC ID; without one (or
 * for a CPU not present) what numa_init_array() gave it.
 *
 * Return: the node setup_per_cpu_areas() and the announce lines see.
 */
int early_cpu_to_node(const struct machine *m, unsigned cpu)
{
	int sn = cpu < m->bringup.nr ? srat_node(m, m->bringup.apic_id[cpu]) : NUMA_NO_NODE;

	return sn != NUMA_NO_NODE ? sn : round_robin_node(m, cpu);
}

/*
 * The last-level cache's ID Linux gives a CPU (cpu_llc_id), or -1 when
 * memprobe cannot say.  AMD: the package ID (APIC ID >> coreid bits) without
 * TOPOEXT; with it, by family.  Intel: the APIC ID masked by the sharing
 * of the L3 (else L2) of leaf 4, or the package ID without leaf 4.
 */
static int64_t llc_id(const struct machine *m, const struct cpu_record *r, uint32_t apic_id,
		      const struct topo_shifts *t, bool amd)
{
	const struct cpuid_regs *l1 = cpu_cpuid(r, 1, 0), *e1 = cpu_cpuid(r, 0x80000001, 0), *l;
	unsigned family, model;
	int64_t l2 = -1, l3 = -1;

	if (!l1)
		return -1;
	cpuid_family_model(l1->eax, &family, &model);
	if (amd) {
		const struct cpuid_regs *e6 = cpu_cpuid(r, 0x80000006, 0), *e1e = cpu_cpuid(r, 0x8000001e, 0);
		uint32_t last = 0;

		if (!e1 || !(e1->ecx & (1u << 22)))
			return apic_id >> t->shift[TOPO_CORE];
		if (!e6 || !e6->edx || !e1e)
			return -1;
		if (family < 0x17)
			return e1e->ecx & 0xff;
		if (family == 0x17 && model <= 0x1f)
			return apic_id >> 3;
		for (uint32_t sub = 0; (l = cpu_cpuid(r, 0x8000001d, sub)) && (l->eax & 0x1f); sub++)
			last = l->eax;
		return last ? (int64_t)(apic_id >> get_count_order(((last >> 14) & 0xfff) + 1)) : -1;
	}
	(void)m;
	for (uint32_t sub = 0; (l = cpu_cpuid(r, 4, sub)) && (l->eax & 0x1f); sub++) {
		unsigned level = (l->eax >> 5) & 7;
		int64_t id = apic_id & ~((1u << get_count_order(((l->eax >> 14) & 0xfff) + 1)) - 1);

		if (level == 2)
			l2 = id;
		if (level == 3)
			l3 = id;
	}
	if (l3 >= 0)
		return l3;
	if (l2 >= 0)
		return l2;
	return apic_id >> t->shift[TOPO_PKG];
}

/* srat_detect_node() on AMD: no SRAT node gives the LLC's ID as the node, or a nearby CPU's online one. */
static int amd_srat_detect_node(const struct machine *m, uint32_t apic_id, int64_t llc)
{
	int node = srat_node(m, apic_id);

	if (node == NUMA_NO_NODE)
		node = llc >= 0 && llc < MAX_NUMNODES ? (int)llc : MAX_NUMNODES;
	if (node < MAX_NUMNODES && node_isset(m->numa.online_after, node))
		return node;
	for (int64_t a = (int64_t)(apic_id < MAX_LOCAL_APIC ? apic_id : MAX_LOCAL_APIC) - 1; a >= 0; a--)
		if (srat_node(m, (uint32_t)a) != NUMA_NO_NODE && node_isset(m->numa.online_after, srat_node(m, (uint32_t)a)))
			return srat_node(m, (uint32_t)a);
	for (uint32_t a = apic_id + 1; a < MAX_LOCAL_APIC; a++)
		if (srat_node(m, a) != NUMA_NO_NODE && node_isset(m->numa.online_after, srat_node(m, a)))
			return srat_node(m, a);
	return first_node(m->numa.online_after);
}

/*
 * The announce lines, "smp: Brought up", 6.1's "Max logical packages" and
 * topology_sane's warning, from each CPU's place.  Return: false when a
 * CPU's place is not known (nothing is printed then).
 */
static bool place_cpus(struct machine *m, struct cpu_place *p, const struct topo_shifts *t, bool amd)
{
	const struct cpu_bringup *b = &m->bringup;

	for (unsigned cpu = 0; cpu < b->nr; cpu++) {
		const struct cpu_record *r = record_of(m, b->apic_id[cpu]);
		uint32_t a = b->apic_id[cpu];
		int sn = srat_node(m, a);

		p[cpu].announce_node = early_cpu_to_node(m, cpu);
		p[cpu].llc = r ? llc_id(m, r, a, t, amd) : -1;
		p[cpu].pkg = a >> t->shift[TOPO_PKG];
		p[cpu].core = a >> t->shift[TOPO_SMT];
		if (amd)
			p[cpu].node = amd_srat_detect_node(m, a, p[cpu].llc);
		else
			p[cpu].node = sn != NUMA_NO_NODE && node_isset(m->numa.online_after, sn) ? sn
												   : p[cpu].announce_node;
		if (p[cpu].llc < 0)
			return false;
	}
	return true;
}

/*
 * The order the APs come up: CPU-number order; 6.12 with SMT brings the
 * first thread of each core up before their siblings.  Return: how many.
 */
static unsigned bringup_order(const struct machine *m, const struct topo_shifts *t, unsigned *order)
{
	const struct cpu_bringup *b = &m->bringup;
	uint32_t thread_mask = (1u << t->shift[TOPO_SMT]) - 1;
	unsigned n = 0;

	if (m->opts.kernel->cpu_topology_612 && thread_mask) {
		for (unsigned cpu = 1; cpu < b->nr; cpu++)
			if (!(b->apic_id[cpu] & thread_mask))
				order[n++] = cpu;
		for (unsigned cpu = 1; cpu < b->nr; cpu++)
			if (b->apic_id[cpu] & thread_mask)
				order[n++] = cpu;
		return n;
	}
	for (unsigned cpu = 1; cpu < b->nr; cpu++)
		order[n++] = cpu;
	return n;
}

/* topology_sane()'s one warning of a boot: which CPU, which sibling, of which kind ("smt", "llc"). */
struct sibling_warning {
	int cpu;		/* -1: none */
	unsigned sibling;
	const char *kind;
};

/*
 * set_cpu_sibling_map()'s checks, in its order: the first CPU, in bring-up
 * order, that is a thread of one core (match_smt, with SMT) or shares its
 * LLC (match_llc) with a CPU set up before it on another node.
 * Return: the warning (w->cpu -1 when there is none).
 */
static void siblings_across_nodes(const struct machine *m, struct cpu_place *p, const unsigned *order, unsigned n,
				  bool smt, bool intel_snc, struct sibling_warning *w)
{
	w->cpu = -1;
	for (unsigned c = 0; c < m->bringup.nr; c++)
		p[c].set_up = c == 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned c = order[i];

		/* the CPUs set up before c, in CPU-number order (cpu_sibling_setup_mask) */
		for (unsigned o = 0; o < m->bringup.nr; o++) {
			if (!p[o].set_up || p[c].node == p[o].node)
				continue;
			if (smt && p[c].core == p[o].core && p[c].llc == p[o].llc)
				w->kind = "smt";
			else if (p[c].llc == p[o].llc && !(intel_snc && p[c].pkg == p[o].pkg))
				w->kind = "llc";
			else
				continue;
			w->cpu = (int)c;
			w->sibling = o;
			return;
		}
		p[c].set_up = true;
	}
}

/* topology_sane()'s warning (once a boot), and the defect it is. */
static void print_sibling_warning(struct machine *m, const struct cpu_place *p, const struct sibling_warning *w)
{
	unsigned c = (unsigned)w->cpu, o = w->sibling;
	bool smt = !mp_strcmp(w->kind, "smt");

	fw_bug(m->log, "SRAT", smt ? "smt-spans-nodes" : "llc-spans-nodes", FW_BUG_NO_OFFSET,
	       "memprobe: [Firmware Bug]: CPUs %u and %u %s but the SRAT puts them on nodes %d and %d; Linux warns "
	       "(with a stack trace) and ignores the sharing\n",
	       o, c, smt ? "are threads of one core" : "share a last-level cache", p[o].node, p[c].node);
	mp_printk(m->log, "sched: CPU #%u's %s-sibling CPU #%u is not on the same node! [node: %d != %d]. Ignoring "
			  "dependency.\n",
		  c, w->kind, o, p[c].node, p[o].node);
}

/*
 * "x86: Booting SMP configuration:" and ".... node  #N, CPUs:      #1 #2" in
 * each kernel's layout.  6.1 boots each AP before it announces the next, so
 * the sibling warning of w (w->cpu -1: none) follows the line that
 * announced it; 6.12 announces them all first.  Return: false when a line
 * was too long to print whole.
 */
static bool announce_cpus(struct machine *m, const struct cpu_place *p, const unsigned *order, unsigned n,
			  const struct sibling_warning *w)
{
	unsigned width = num_digits((int)m->cpus.possible) + 1;
	unsigned node_width = num_digits(nodes_weight(m->numa.possible)) + 1;
	bool v612 = m->opts.kernel->cpu_topology_612, warned = false, warn_pending = false, cut = false;
	char line[MP_LINE_MAX];
	unsigned len = 0;
	int current = -1;

	for (unsigned i = 0; i < n; i++) {
		unsigned cpu = order[i];
		int node = p[cpu].announce_node;
		int pad = (int)width - (int)num_digits((int)cpu);
		bool first = v612 ? i == 0 : cpu == 1;

		if (first)
			mp_printk(m->log, "%sx86: Booting SMP configuration:\n", v612 ? "smpboot: " : "");
		if (node != current) {
			int npad = (int)node_width - (int)num_digits(node);

			if (current > -1)
				mp_printk(m->log, "%s\n", line);
			if (warn_pending) {
				print_sibling_warning(m, p, w);
				warn_pending = false;
				warned = true;
			}
			current = node;
			len = mp_snprintf(line, sizeof(line), ".... node %*s#%d, CPUs:  ", npad > 0 ? npad : 1, " ",
					  node);
		}
		if (first && len < sizeof(line))
			len += mp_snprintf(line + len, sizeof(line) - len, "%*s", (int)width + 1, " ");
		if (len + 16 >= sizeof(line)) {
			cut = true;	/* Linux's record holds more than memprobe's lines */
			continue;
		}
		len += mp_snprintf(line + len, sizeof(line) - len, "%*s#%u", pad > 0 ? pad : 1, " ", cpu);
		warn_pending |= !v612 && (int)cpu == w->cpu;
	}
	if (current > -1)
		mp_printk(m->log, "%s\n", line);
	if (w->cpu >= 0 && !warned)
		print_sibling_warning(m, p, w);
	if (cut)
		mp_printk(m->log, "memprobe: an announce line holds more CPUs than memprobe's %u-byte lines: it is cut, "
				  "and the bring-up's lines are not compared\n",
			  (unsigned)sizeof(line));
	return !cut;
}

/* 6.1's "smpboot: Max logical packages:": the possible CPUs over the boot package's cores and threads. */
static void max_logical_packages(struct machine *m, const struct cpu_place *p, bool has_mp)
{
	const struct cpu_bringup *b = &m->bringup;
	unsigned booted_cores = 0, max_threads = 1;

	for (unsigned c = 0; c < b->nr; c++) {
		unsigned siblings = 0;
		bool first = true;

		for (unsigned o = 0; o < b->nr; o++)
			if (p[o].core == p[c].core && p[o].pkg == p[c].pkg) {
				siblings++;
				first &= o >= c;
			}
		max_threads = siblings > max_threads ? siblings : max_threads;
		booted_cores += first && p[c].pkg == p[0].pkg;
	}
	if (!has_mp)
		booted_cores = 1;
	mp_printk(m->log, "smpboot: Max logical packages: %u\n",
		  (m->cpus.total_cpus + booted_cores * max_threads - 1) / (booted_cores * max_threads));
}

/* "smp: Brought up N nodes, M CPUs", and 6.1's "smpboot: Max logical packages: N". */
static void smp_cpus_done(struct machine *m, const struct cpu_place *p, bool has_mp)
{
	const struct cpu_bringup *b = &m->bringup;
	int nodes = nodes_weight(m->numa.online_after);

	mp_printk(m->log, "smp: Brought up %d node%s, %u CPU%s\n", nodes, nodes == 1 ? "" : "s", b->nr,
		  b->nr == 1 ? "" : "s");
	if (!m->opts.kernel->cpu_topology_612)
		max_logical_packages(m, p, has_mp);
	mp_printk(m->log, "memprobe: not predicted, as they depend on the run and not the firmware: \"smpboot: Total "
			  "of N processors activated (... BogoMIPS)\" and the TSC's calibration lines\n");
}

/* 6.1's and 6.12's has_mp: more than one thread or core in a package. */
static bool has_mp(const struct machine *m, const struct topo_shifts *t, bool amd)
{
	const struct cpu_record *r = record_of(m, m->bringup.apic_id[0]);
	const struct cpuid_regs *l8 = r ? cpu_cpuid(r, 0x80000008, 0) : NULL;

	if (amd && !m->opts.kernel->cpu_topology_612)
		return l8 && (l8->ecx & 0xff) > 0;
	return t->shift[TOPO_PKG] > 0;
}

/*
 * The bring-up's own lines, when every CPU brought up was read: the
 * announce lines, topology_sane's warning, "smp: Brought up".
 */
static void bring_up(struct machine *m)
{
	struct cpu_place *p = m->bringup.place;
	const char *vendor = m->paging.cpu.vendor;
	bool amd = !mp_strcmp(vendor, "AuthenticAMD") || !mp_strcmp(vendor, "HygonGenuine");
	const struct cpuid_regs *l1;
	unsigned *order = m->bringup.order, n;
	struct sibling_warning warning;
	struct topo_shifts t;
	bool mp, snc = false, whole;

	topology_shifts(m, m->opts.kernel->cpu_topology_612, &t);
	if (!t.known || !place_cpus(m, p, &t, amd)) {
		mp_printk(m->log, "memprobe: the bring-up's lines need every CPU's CPUID (or a CPU memprobe does not "
				  "model): the node lines, the llc-sibling warning and \"smp: Brought up\" are not "
				  "predicted\n");
		return;
	}
	mp = has_mp(m, &t, amd);
	l1 = cpu_cpuid(record_of(m, m->bringup.apic_id[0]), 1, 0);
	if (!mp_strcmp(vendor, "GenuineIntel") && l1) {
		unsigned family, model;

		cpuid_family_model(l1->eax, &family, &model);

		snc = m->opts.kernel->cpu_topology_612 ? !(family == 6 && (model == 0x3f || model == 0x4f))
						      : family == 6 && model != 0x3f && model != 0x4f;
	}
	n = bringup_order(m, &t, order);
	warning.cpu = -1;
	if (mp)
		siblings_across_nodes(m, p, order, n, t.shift[TOPO_SMT] > 0, snc, &warning);
	whole = announce_cpus(m, p, order, n, &warning);
	smp_cpus_done(m, p, mp);
	m->bringup.lines_printed = whole;
}

#define CPUS_NAMED_MAX 8	/* CPUs whose CPUID differences get a line each; the rest are counted */

/* The CPUs whose CPUID differs from the boot CPU's: a line each for the first few. */
static void compare_cpus(struct machine *m)
{
	const struct cpu_records *cpus = &m->fw->cpus;
	unsigned differ = 0;
	char what[160];

	for (unsigned i = 1; i < cpus->nr; i++)
		if (cpus->cpu[i].state == CPU_READ && cpu_record_differs(&cpus->cpu[i], &cpus->cpu[0], what, sizeof(what)) &&
		    differ++ < CPUS_NAMED_MAX)
			mp_printk(m->log, "memprobe: note: CPU %u (APIC ID %#x) is not like the boot CPU: %s (a hybrid "
					  "part, mixed steppings or microcode, or firmware that set it up differently)\n",
				  cpus->cpu[i].number, cpus->cpu[i].apic_id, what);
	if (differ > CPUS_NAMED_MAX)
		mp_printk(m->log, "memprobe: note: ... and %u more CPUs not like the boot CPU\n", differ - CPUS_NAMED_MAX);
}

/**
 * smp_init() - the CPUs Linux brings up at boot, and the lines around it
 * @m: the machine, after init_possible_cpus
 */
void smp_init(struct machine *m)
{
	const struct cpu_records *cpus = &m->fw->cpus;

	if (!m->bringup.known)
		return;
	if (cpus->source == CPUS_NOT_READ || !cpus->nr || cpus->cpu[0].state != CPU_READ)
		mp_printk(m->log, "memprobe: the boot CPU's CPUID leaves were not read: \"smpboot: CPU0:\" is not "
				  "predicted\n");
	else
		print_cpu_info(m, &cpus->cpu[0]);
	compare_cpus(m);
	mp_printk(m->log, "smp: Bringing up secondary CPUs ...\n");
	if (cpus->source == CPUS_NOT_READ)
		mp_printk(m->log, "memprobe: the CPUs' CPUID leaves were not read: the bring-up's lines are not "
				  "predicted\n");
	else
		bring_up(m);
	mtrr_state_warn(m);
}
