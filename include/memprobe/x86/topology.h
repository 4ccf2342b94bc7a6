/* SPDX-License-Identifier: MIT */
/*
 * The possible CPUs: Linux's count of the MADT's CPU entries as it walks
 * them, and the line it prints once they are counted (6.1's
 * prefill_possible_map, 6.12's topology_init_possible_cpus).
 */
#ifndef MEMPROBE_X86_TOPOLOGY_H
#define MEMPROBE_X86_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#define NR_CPUS 8192		/* Debian's CONFIG_NR_CPUS */
#define MAX_LOCAL_APIC_ID 32768	/* Linux's MAX_LOCAL_APIC on x86_64 */

struct cpu_count {
	unsigned nr_cpu_ids;		/* nr_cpus= (NR_CPUS) */
	int setup_max_cpus;		/* maxcpus= (NR_CPUS) */
	int setup_possible_cpus;	/* possible_cpus= (-1: not given) */
	uint32_t boot_apic_id;		/* the boot CPU's APIC ID, as Linux reads it */
	bool boot_apic_id_assumed;	/* not read: taken as the MADT's first enabled CPU */
	bool boot_seen;			/* the boot CPU's entry was counted */
	bool online_capable;		/* the FADT is ACPI 6.3 or newer: the online-capable bit counts */
	bool has_lapic_cpus;		/* 6.12: a usable local APIC entry, so x2APIC IDs below 255 are not */
	int x2apic_mode;		/* the firmware left the boot CPU in x2APIC mode (-1: not known) */
	unsigned x2apic_ignored;	/* enabled x2APIC entries of ID 255 or more dropped in xAPIC mode */
	bool linux_hypervisor;		/* Linux detects a hypervisor (not TCG): 6.12 counts disabled entries */
	bool real_bsp_seen;		/* 6.12: check_for_real_bsp() ran on the first listed APIC */
	unsigned present, disabled, rejected;	/* num_processors, disabled_cpus (6.12: nr_rejected_cpus) */
	bool unknown;			/* something memprobe cannot count: no line predicted */
	bool limit_said;		/* 6.12's "CPU limit ... reached" is printed once */
	unsigned nr_present_ids;	/* the APIC IDs given a CPU number after the boot CPU's 0, in order */
	uint32_t present_ids[NR_CPUS];
	unsigned nr_hotplug_ids;	/* 6.12: the usable disabled entries' APIC IDs, registered too */
	uint32_t hotplug_ids[NR_CPUS];
	uint32_t registered[NR_CPUS];	/* 6.12: the boot CPU's and those above, for the topology counts */
	unsigned possible;		/* num_possible_cpus(), once counted */
	bool counts_printed;		/* 6.12's "Max. logical packages" ... lines were predicted */
	unsigned total_cpus;		/* 6.1's total_cpus: before the nr_cpus=/maxcpus= clamps */
};

/* Linux's topology domains, innermost first, and the APIC-ID bits below the next one. */
enum topo_domain { TOPO_SMT, TOPO_CORE, TOPO_MODULE, TOPO_TILE, TOPO_DIE, TOPO_DIEGRP, TOPO_PKG, TOPO_DOMAINS };

struct topo_shifts {
	bool known;
	unsigned shift[TOPO_DOMAINS];
};

/* Where a CPU Linux brings up sits: its node when announced and after srat_detect_node, its IDs. */
struct cpu_place {
	int announce_node, node;
	int64_t llc, pkg, core;
	bool set_up;		/* topology_sane(): already in the sibling maps */
};

/* The CPUs Linux brings up at boot (smp_init), by CPU number: the boot CPU is 0. */
struct cpu_bringup {
	bool known;			/* the possible CPUs were counted */
	bool lines_printed;		/* the announce lines ... "smp: Brought up" were predicted */
	unsigned nr;
	uint32_t apic_id[NR_CPUS];
	struct cpu_place place[NR_CPUS];
	unsigned order[NR_CPUS];	/* the APs' CPU numbers in bring-up order */
};

struct cpu_facts;
struct linux_profile;
struct machine;
struct madt_info;

void cpu_count_init(struct cpu_count *c, const struct cpu_facts *cpu, const struct linux_profile *kernel);
void topology_apply_cmdline_limits_early(struct machine *m);
void acpi_register_lapics(struct machine *m, const struct madt_info *madt);
void init_possible_cpus(struct machine *m);
struct cpu_record;
const struct cpu_record *boot_cpu_record(const struct machine *m);
void topology_shifts(const struct machine *m, bool v612, struct topo_shifts *t);

#endif
