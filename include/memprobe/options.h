/* SPDX-License-Identifier: MIT */
/*
 * memprobe's options.  Where Linux has a kernel parameter for the same
 * thing, the option is that parameter with Linux's parsing.
 */
#ifndef MEMPROBE_OPTIONS_H
#define MEMPROBE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/profile.h"

#define OPTIONS_MAX_MEM 8

/* One "mem=" word, kept in command-line order for parse_early_param. */
struct mem_option {
	bool nopentium;
	uint64_t size;	/* 0: Linux rejects the value */
};

struct options {
	bool efi_debug;		/* efi=debug */
	bool memblock_debug;	/* memblock=debug */
	bool numa_off;		/* numa=off */
	bool numa_noacpi;	/* numa=noacpi */
	char numa_fake[32];	/* numa=fake='s value, "" without */
	bool nokaslr;		/* nokaslr */
	bool no5lvl;		/* no5lvl: 4-level paging on an LA57 CPU */
	bool nogbpages;		/* nogbpages (gbpages undoes it): no 1 GiB direct-map pages */
	bool pgtable_debug;	/* init_memory_mapping's pr_debug lines */
	bool exit_boot_services;	/* leave boot services, build and load the page tables */
	unsigned ebs_stale_keys;	/* ebs_stale_keys=: attempts given a stale map key (tests) */
	bool apic_instance_given;	/* acpi_apic_instance= was given ... */
	bool apic_instance_malformed;	/* ... and Linux's kstrtoint() refuses its value */
	int apic_instance;		/* acpi_apic_instance=: the MADT instance (0: the first) */
	const struct linux_profile *kernel;	/* kernel=: the Linux predicted */
	uint64_t pgdat_size;	/* node_data_size=: another build's sizeof(pg_data_t), 0: the profile's */
	uint64_t kernel_addr;	/* kernel_addr=: where the kernel image is assumed, 0: default */
	uint64_t ramdisk_first, ramdisk_last;	/* ramdisk=: the initrd's bytes; last 0: none */
	bool soft_reserve;	/* cleared by efi=nosoftreserve */
	bool poweroff;		/* power the machine off when the report is done */
	bool no_pause;		/* no paging and no question at the end (a screen without a reader) */
	bool help;		/* --help, -h, help */
	unsigned nr_mem;
	struct mem_option mem[OPTIONS_MAX_MEM];
	unsigned nr_errors;	/* words that were rejected */
	char messages[1024];	/* what parsing said, printed after the banner */
	unsigned messages_len, messages_dropped;
};

/* One place options come from. */
struct option_source {
	const char *name;	/* a file: its messages name it and the line; NULL: a command line */
	const char *text;	/* NUL-terminated, may be NULL */
};

/* The most sources a machine takes: two config files, the command line, overrides. */
#define OPTION_SOURCES_MAX 4

void options_init(struct options *o);
void options_parse_sources(struct options *o, const struct option_source *src, unsigned nr);
void options_parse(struct options *o, const char *cmdline);
void options_print_messages(const struct options *o, struct mp_log *log);
void options_print_help(struct mp_log *log);
void options_print_config(struct mp_log *log);
unsigned options_words(char *buf, unsigned size, const struct option_source *src, unsigned nr);
unsigned options_from_linux_cmdline(char *buf, unsigned size, const char *cmdline);
const char *options_skip_program_name(const char *args);
uint64_t memparse(const char *s, const char **end);
uint64_t simple_strtoull(const char *s, const char **end);

#endif
