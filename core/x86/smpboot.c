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
	char name[49];

	if (!l1)
		return;
	family = (l1->eax >> 8) & 0xf;
	model = (l1->eax >> 4) & 0xf;
	if (family == 0xf)
		family += (l1->eax >> 20) & 0xff;
	if (family >= 6)
		model += ((l1->eax >> 16) & 0xf) << 4;
	model_name(c, name);
	if (!name[0])
		mp_snprintf(name, sizeof(name), "%02x/%02x", family, model);
	mp_printk(m->log, "smpboot: CPU0: %s%s%s (family: 0x%x, model: 0x%x, stepping: 0x%x)\n",
		  contains(name, vendor) ? "" : vendor, contains(name, vendor) ? "" : " ", name, family, model,
		  l1->eax & 0xf);
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
	mtrr_state_warn(m);
	mp_printk(m->log, "memprobe: the bring-up's node lines (\"x86: Booting SMP configuration:\", \".... node "
			  "#N, CPUs:\", \"smp: Brought up\"), 6.12's \"CPU topo: Max.\" lines and the llc-sibling "
			  "warning are not predicted yet\n");
}
