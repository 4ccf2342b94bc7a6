/* SPDX-License-Identifier: MIT */
/*
 * memprobe's options, from one table (core/options.c): each option's word,
 * whose it is (Linux's early_param, __setup or EFI stub option, or
 * memprobe's own), its kind, its parser, its default and its text.
 * Parsing, --help, memprobe config, the "not modelled yet" warning and
 * docs/OPTIONS.md all come from that table.  Where Linux has a kernel
 * parameter for the same thing, the option is that parameter with Linux's
 * parsing.
 */
#ifndef MEMPROBE_OPTIONS_H
#define MEMPROBE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/profile.h"

/* The longest word an option may be; longer ones are refused. */
#define OPTION_WORD_MAX 128
#define OPTIONS_MAX_EARLY 32
#define OPTIONS_MAX_SETUP_DATA 33	/* the stub's nodes: 32 option ROMs and the extended e820 table */

/* numa=fake='s forms, as numa_emulation() tells them apart. */
enum numa_fake_form {
	NUMA_FAKE_NONE,
	NUMA_FAKE_NODES,	/* N: N nodes */
	NUMA_FAKE_SIZE,		/* <size>M or <size>G: nodes of that size */
	NUMA_FAKE_UNIFORM,	/* NU: each physical node split into N */
};

struct numa_fake {
	enum numa_fake_form form;
	uint64_t n;		/* the nodes, or the size in bytes */
};

/*
 * One of Linux's early parameters, in the order parse_early_param() hands
 * them to their handlers.  Those whose handler acts at that point (mem=,
 * acpi_apic_instance=) are parsed there, by the stage, from the word.
 */
struct early_param {
	char word[OPTION_WORD_MAX];	/* as written: "mem=3G" */
	unsigned name_len;		/* the parameter's name: "mem" */
};

struct options {
	const struct linux_profile *kernel;	/* kernel=: the Linux predicted */
	bool efi_debug;		/* efi=debug */
	bool soft_reserve;	/* cleared by efi=nosoftreserve */
	bool memblock_debug;	/* memblock=debug */
	bool numa_off;		/* numa=off */
	bool numa_noacpi;	/* numa=noacpi */
	struct numa_fake numa_fake;	/* numa=fake= */
	bool nokaslr;		/* nokaslr */
	bool no5lvl;		/* no5lvl: 4-level paging on an LA57 CPU */
	bool nogbpages;		/* nogbpages (gbpages undoes it): no 1 GiB direct-map pages */
	bool noapic;		/* noapic: the MADT's IO APICs skipped */
	bool nopat;		/* nopat: Linux keeps the firmware's PAT */
	bool disable_mtrr_trim;	/* disable_mtrr_trim: no RAM out of e820 for uncached MTRRs */
	bool mtrr_debug;	/* mtrr=debug (6.12): the MTRR state and the map, line by line */
	bool mtrr_cleanup;	/* enable_mtrr_cleanup (disable_mtrr_cleanup clears it) */
	bool pgtable_debug;	/* init_memory_mapping's pr_debug lines */
	bool exit_boot_services;	/* leave boot services, build and load the page tables */
	unsigned ebs_stale_keys;	/* ebs_stale_keys=: attempts given a stale map key (tests) */
	uint64_t pgdat_size;	/* node_data_size=: another build's sizeof(pg_data_t), 0: the profile's */
	struct kernel_sections kernel_sections;	/* kernel_sections=: another build's, code 0: the profile's */
	uint64_t kernel_reserve_size;	/* kernel_reserve_size=: another build's image, 0: the profile's */
	uint64_t percpu_static_size;	/* percpu_static_size=: another build's, 0: the profile's */
	uint64_t unknown_params_bytes;	/* unknown_params_bytes=: print_unknown_bootoptions' copy, 0: none */
	unsigned cea_pages;	/* cea_pages=: spp_getpage()'s pages for the CPU entry areas, 0: counted */
	uint64_t cmdline_bytes;	/* cmdline_bytes=: Linux's command line and its NUL, 0: memprobe's own */
	uint64_t kernel_addr;	/* kernel_addr=: where the kernel image is assumed, 0: default */
	uint64_t ramdisk_first, ramdisk_last;	/* ramdisk=: the initrd's bytes; last 0: none */
	unsigned nr_setup_data_addr;	/* setup_data=: where the loader put the stub's nodes, in order */
	uint64_t setup_data_addr[OPTIONS_MAX_SETUP_DATA];
	uint64_t bgrt_page;		/* bgrt=: the boot logo's first page in Linux's boot; 0: its own */
	uint64_t efi_memmap_at;		/* efi_memmap_at=: the EFI stub's copy of the memory map, 0: not known */
	uint64_t memattr_addr;		/* memattr=: the memory attributes table in Linux's boot; 0: its own */
	unsigned ap_hold;	/* ap_hold=: the processor whose reader waits out the timeout (tests); 0: none */
	unsigned fail;		/* fail=: the firmware calls the front end makes fail (tests): FAIL_* */
	bool no_mp_services;	/* no_mp_services: read the boot CPU only, as without MP services (tests) */
	bool poweroff;		/* power the machine off when the report is done */
	bool no_pause;		/* no paging and no question at the end (a screen without a reader) */
	bool help;		/* --help, -h, help */
	unsigned nr_early;
	struct early_param early[OPTIONS_MAX_EARLY];	/* Linux's early parameters, in order */
	unsigned nr_errors;	/* words that were rejected */
	char messages[1024];	/* what parsing said, printed after the banner */
	unsigned messages_len, messages_dropped;
};

/* fail='s items: a front end's firmware calls made to fail, to show the run goes on without them. */
enum {
	FAIL_FS = 1 << 0,		/* the run folder's file system calls */
	FAIL_VARIABLES = 1 << 1,	/* GetVariable (Secure Boot) */
	FAIL_GOP = 1 << 2,		/* the graphics output protocol (the screen after ExitBootServices) */
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
void options_print_document(struct mp_log *log);
unsigned options_words(char *buf, unsigned size, const struct option_source *src, unsigned nr);
unsigned options_from_linux_cmdline(char *buf, unsigned size, const char *cmdline);
const char *options_skip_program_name(const char *args);

#endif
