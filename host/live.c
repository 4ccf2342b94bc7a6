// SPDX-License-Identifier: MIT
/*
 * memprobe analyze --live [--root DIR]: the inputs of the running Linux
 * machine (or of a copy of its /sys, /proc and /dev/kmsg under DIR), for
 * the same pipeline memprobe.efi runs at boot.
 *
 * What Linux shows is not all the firmware gave it: /sys/firmware/memmap is
 * the e820 table, not the EFI memory map, so the EFI map is rebuilt from it
 * (without boot-services memory, which Linux had freed); the ACPI tables are
 * in /sys/firmware/acpi/tables, but not the RSDP and XSDT, so they are taken
 * as a list, with the addresses the kernel's own "ACPI: SIG 0x..." lines
 * give.  Notes in the report say which facts came from where.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memprobe/lib/util.h"
#include "memprobe/x86/cpu_record.h"
#include "memprobe/x86/efimap.h"
#include "live.h"
#include "readfile.h"

#define DESC_SIZE 48

static void note(struct live_inputs *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct live_inputs *in, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(in->notes + in->notes_len, sizeof(in->notes) - in->notes_len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(in->notes) - in->notes_len)
		in->notes_len += (size_t)n;
}

/* A file under the root, whole (at most max bytes); NULL (quietly) when it is not there. */
static char *read_optional_max(const struct live_inputs *in, const char *rel, size_t *len, size_t max)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", in->root, rel);
	if (access(path, F_OK))
		return NULL;
	return read_file(path, len, max);
}

/* A small file of /sys or /proc under the root; NULL (quietly) when it is not there. */
static char *read_optional(const struct live_inputs *in, const char *rel, size_t *len)
{
	return read_optional_max(in, rel, len, READ_MAX_TEXT_FILE);
}

/* A number as /sys writes it (decimal or 0x hex, then at most a newline); false for anything else. */
static bool sys_value(const char *text, uint64_t max, uint64_t *v)
{
	char *end;

	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	*v = strtoull(text, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	return !errno && !*end && *v <= max;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/*
 * A type Linux does not name ("Unknown E820 type" in /sys): a loader that
 * builds e820 itself writes EFI runtime code as type 20 (GRUB does).
 */
#define E820_TYPE_LOADER_UNKNOWN 20

/* The e820 type whose /sys/firmware/memmap name this is; 0 when none. */
static uint32_t e820_type_of(const char *name)
{
	if (!strcmp(name, "Unknown E820 type"))
		return E820_TYPE_LOADER_UNKNOWN;
	static const uint32_t types[] = { E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
					  E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM,
					  E820_TYPE_SOFT_RESERVED };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(name, e820_type_to_string(types[i])))
			return types[i];
	return 0;
}

/* An EFI descriptor the EFI stub turns back into this e820 entry. */
static void put_descriptor(uint8_t *d, uint32_t e820_type, uint64_t start, uint64_t end)
{
	uint32_t type = EFI_RESERVED_TYPE;
	uint64_t attr = EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB, pages = (end - start + 1) >> 12;

	switch (e820_type) {
	case E820_TYPE_RAM: type = EFI_CONVENTIONAL_MEMORY; break;
	case E820_TYPE_LOADER_UNKNOWN: type = EFI_RUNTIME_SERVICES_CODE; attr |= EFI_ATTR_RUNTIME; break;
	case E820_TYPE_SOFT_RESERVED: type = EFI_CONVENTIONAL_MEMORY; attr |= EFI_ATTR_SP; break;
	case E820_TYPE_ACPI: type = EFI_ACPI_RECLAIM_MEMORY; break;
	case E820_TYPE_NVS: type = EFI_ACPI_MEMORY_NVS; break;
	case E820_TYPE_UNUSABLE: type = EFI_UNUSABLE_MEMORY; break;
	case E820_TYPE_PMEM: type = EFI_PERSISTENT_MEMORY; break;
	default: attr = 0; break;	/* reserved, and legacy PRAM, which EFI cannot say */
	}
	memset(d, 0, DESC_SIZE);
	memcpy(d, &type, 4);
	memcpy(d + 8, &start, 8);
	memcpy(d + 24, &pages, 8);
	memcpy(d + 32, &attr, 8);
}

/* /sys/firmware/memmap/N/{start,end,type}, N = 0, 1, ...: the EFI map rebuilt from it. */
/*
 * How many entries /sys/firmware/memmap has: its folders are 0 .. N-1, and
 * a gap means a damaged copy.  Return: N, or -1 after naming the gap.
 */
static int memmap_entries(const struct live_inputs *in)
{
	char dir[4096];
	unsigned n = 0, highest = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/firmware/memmap", in->root);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char *end;
		unsigned long i = strtoul(e->d_name, &end, 10);

		if (e->d_name[0] < '0' || e->d_name[0] > '9' || *end || i > 1u << 20)
			continue;
		n++;
		if (i > highest)
			highest = (unsigned)i;
	}
	closedir(d);
	if (n && highest + 1 != n) {
		fprintf(stderr, "memprobe analyze: %s: %u entries numbered up to %u: some are missing (a damaged "
				"copy?)\n", dir, n, highest);
		return -1;
	}
	return (int)n;
}

static bool load_memmap(struct live_inputs *in)
{
	unsigned n = 0, cap = 64, unaligned = 0, kept = 0, unknown = 0;
	int entries = memmap_entries(in);

	if (entries < 0)
		return false;
	in->map = malloc(cap * DESC_SIZE);
	for (; n < (unsigned)entries; n++) {
		char rel[64], *start, *end, *type;
		size_t len;
		uint32_t t;
		uint64_t s, e;

		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/start", n);
		start = read_optional(in, rel, &len);
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/end", n);
		end = read_optional(in, rel, &len);
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%u/type", n);
		type = read_optional(in, rel, &len);
		if (!start || !end || !type || !in->map) {
			fprintf(stderr, "memprobe analyze: %s/sys/firmware/memmap/%u: start, end and type are "
					"needed\n", in->root, n);
			free(start), free(end), free(type);
			return false;
		}
		trim(type);
		if (!sys_value(start, UINT64_MAX, &s) || !sys_value(end, UINT64_MAX, &e)) {
			fprintf(stderr, "memprobe analyze: %s/sys/firmware/memmap/%u: its start or end is not a 64-bit "
					"number ('%.24s', '%.24s')\n", in->root, n, start, end);
			free(start), free(end), free(type);
			return false;
		}
		t = e820_type_of(type);
		free(start), free(end);
		if (!t || e < s) {
			fprintf(stderr, "memprobe analyze: %s/sys/firmware/memmap/%u: %s%s%s\n", in->root, n,
				t ? "its end is below its start" : "unknown type '", t ? "" : type, t ? "" : "'");
			free(type);
			return false;
		}
		free(type);
		unknown += t == E820_TYPE_LOADER_UNKNOWN;
		if ((s & 0xfff) || ((e + 1) & 0xfff)) {
			/* A BIOS's e820 need not be in pages; EFI descriptors are: RAM shrinks, the rest grows. */
			unaligned++;
			if (t == E820_TYPE_RAM) {
				s = (s + 0xfff) & ~0xfffULL;
				e = ((e + 1) & ~0xfffULL) - 1;
			} else {
				s &= ~0xfffULL;
				e |= 0xfff;
			}
			if (e < s)
				continue;
		}
		if (kept == cap) {
			uint8_t *bigger = realloc(in->map, (cap *= 2) * DESC_SIZE);

			if (!bigger)
				return false;
			in->map = bigger;
		}
		put_descriptor(in->map + (size_t)kept++ * DESC_SIZE, t, s, e);
	}
	if (!n) {
		fprintf(stderr, "memprobe analyze: %s/sys/firmware/memmap: no entries (is this a Linux /sys?)\n",
			in->root);
		return false;
	}
	in->fw.memmap = (struct efi_memmap){ in->map, (uint64_t)kept * DESC_SIZE, DESC_SIZE, 1 };
	if (unaligned)
		note(in, "memprobe: note: analyze --live: %u entries of /sys/firmware/memmap are not whole pages, "
			 "as a BIOS's e820 may be; EFI's map is, so they are rounded to pages (RAM inward, the "
			 "rest outward) and their BIOS-e820 lines differ from this machine's\n", unaligned);
	if (unknown)
		note(in, "memprobe: note: analyze --live: %u entries of /sys/firmware/memmap have a type Linux does not "
			 "name ('Unknown E820 type': a loader built this e820, as GRUB does, with EFI runtime code as "
			 "type 20); taken as EFI runtime code, which the EFI stub makes reserved, so their BIOS-e820 "
			 "lines differ from this machine's ('type 20')\n", unknown);
	note(in, "memprobe: note: analyze --live: the EFI memory map is rebuilt from %s/sys/firmware/memmap "
		 "(%u e820 entries); memory the firmware's boot services used is not known, so its "
		 "reservations are not modelled\n", in->root, n);
	return true;
}

/* The kernel's "ACPI: SIG 0x<address> <length>" lines, in the order Linux installed the tables. */
static void load_kmsg_addresses(struct live_inputs *in)
{
	char path[4096];
	size_t len;
	char *log;

	snprintf(path, sizeof(path), "%s/dev/kmsg", in->root);
	if (access(path, R_OK))
		return;
	log = read_log(path, &len);
	if (!log)
		return;
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		char *text = strchr(line, ';'), sig[5];
		unsigned long long phys;
		unsigned length;

		/* /dev/kmsg records ("6,12,345,-;text") or dmesg lines ("[    0.05] text"). */
		text = text ? text + 1 : strstr(line, "] ") ? strstr(line, "] ") + 2 : line;
		if (in->nr_kmsg < LIVE_MAX_TABLES &&
		    sscanf(text, "ACPI: %4[A-Z0-9_] 0x%16llx %6x", sig, &phys, &length) == 3 && phys) {
			struct live_address *a = &in->kmsg[in->nr_kmsg++];

			memcpy(a->sig, sig, 5);
			a->phys = phys;
			a->length = length;
		}
	}
	free(log);
}

/* Table files in Linux's naming order: "SSDT" before "SSDT1", "SSDT2" before "SSDT10". */
static int table_name_order(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strncmp(x, y, 4);

	if (c)
		return c;
	return atoi(x + 4) - atoi(y + 4);
}

/* The instance-th (from 0) table file of a signature among the sorted names; -1 if none. */
static int nth_table(struct live_inputs *in, const char *sig, unsigned instance)
{
	for (unsigned i = 0; i < in->nr_tables; i++)
		if (!strncmp(in->names[i], sig, 4) && !instance--)
			return (int)i;
	return -1;
}

static bool load_acpi(struct live_inputs *in)
{
	char dir[4096], *systab;
	size_t len;
	struct dirent *e;
	DIR *d;
	unsigned known = 0;
	bool used[LIVE_MAX_TABLES] = { false };

	snprintf(dir, sizeof(dir), "%s/sys/firmware/acpi/tables", in->root);
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "memprobe analyze: cannot read %s: %s\n", dir, strerror(errno));
		return false;
	}
	while ((e = readdir(d)) && in->nr_tables < LIVE_MAX_TABLES) {
		char path[8192];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		/* Tables are files; data/ and dynamic/ hold other things. */
		if (e->d_name[0] == '.' || strlen(e->d_name) < 4 || stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		in->names[in->nr_tables++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(in->names, in->nr_tables, sizeof(in->names[0]), table_name_order);
	for (unsigned i = 0; i < in->nr_tables; i++) {
		char path[8192];

		snprintf(path, sizeof(path), "%s/%s", dir, in->names[i]);
		in->bytes[i] = (uint8_t *)read_file(path, &in->lengths[i], READ_MAX_ACPI_TABLE);
		if (!in->bytes[i])
			return false;
	}
	load_kmsg_addresses(in);
	snprintf(dir, sizeof(dir), "%s/sys/firmware/efi", in->root);
	if (access(dir, F_OK))
		note(in, "memprobe: note: analyze --live: this Linux did not boot through UEFI (no "
			 "/sys/firmware/efi); memprobe predicts a UEFI boot of the same machine\n");
	/* Linux's order, with Linux's addresses, for the tables its log names ... */
	for (unsigned k = 0; k < in->nr_kmsg; k++) {
		const struct live_address *a = &in->kmsg[k];
		unsigned instance = 0;
		int i;

		for (unsigned j = 0; j < k; j++)
			instance += !strcmp(in->kmsg[j].sig, a->sig);
		i = nth_table(in, a->sig, instance);
		if (i < 0 || used[i] || in->lengths[i] < 4)
			continue;
		used[i] = true;
		in->listed[in->fw.acpi.nr_listed++] = (struct acpi_table){
			.phys = in->lengths[i] == a->length ? a->phys : 0,
			.length = (uint32_t)in->lengths[i], .bytes = in->bytes[i] };
		known += in->lengths[i] == a->length;
	}
	/* ... then the rest, at addresses unknown. */
	for (unsigned i = 0; i < in->nr_tables; i++)
		if (!used[i] && in->lengths[i] >= 4)
			in->listed[in->fw.acpi.nr_listed++] = (struct acpi_table){
				.length = (uint32_t)in->lengths[i], .bytes = in->bytes[i] };
	for (unsigned i = 0; i < in->fw.acpi.nr_listed; i++)
		memcpy(in->listed[i].sig, in->listed[i].bytes, 4);
	in->fw.acpi.listed = in->listed;
	systab = read_optional(in, "sys/firmware/efi/systab", &len);
	if (systab) {
		char *acpi20 = strstr(systab, "ACPI20=");

		if (acpi20)
			note(in, "memprobe: note: analyze --live: the RSDP is at %.*s (%s/sys/firmware/efi/systab); "
				 "Linux does not show its bytes or the XSDT's, so the tables are taken as a list\n",
			     (int)strcspn(acpi20 + 7, "\n"), acpi20 + 7, in->root);
		free(systab);
	}
	note(in, "memprobe: note: analyze --live: %u ACPI tables from %s/sys/firmware/acpi/tables, %u with the "
		 "address the kernel's log gives%s\n",
	     in->fw.acpi.nr_listed, in->root, known, in->nr_kmsg ? "" : " (no kernel log: /dev/kmsg not readable)");
	return true;
}

/* Linux's cpuid and msr devices: a read at offset (subleaf << 32 | leaf), or at the MSR's number. */
#define DEV_MSR_FAILURES_MAX 16

struct dev_cpu {
	int cpuid_fd, msr_fd;
	unsigned failed;	/* reads the device refused (a leaf or MSR the CPU lacks) */
	unsigned nr_bad;	/* the MSRs it refused, dropped from the record (the rest counted only) */
	uint32_t bad[DEV_MSR_FAILURES_MAX];
};

static void dev_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	struct dev_cpu *d = ctx;

	if (pread(d->cpuid_fd, regs, 16, (off_t)((uint64_t)subleaf << 32 | leaf)) != 16) {
		memset(regs, 0, 16);
		d->failed++;
	}
}

static uint64_t dev_rdmsr(void *ctx, uint32_t msr)
{
	struct dev_cpu *d = ctx;
	uint64_t v;

	if (pread(d->msr_fd, &v, 8, (off_t)msr) != 8) {
		d->failed++;
		if (d->nr_bad < DEV_MSR_FAILURES_MAX)
			d->bad[d->nr_bad++] = msr;
		return 0;
	}
	return v;
}

static int open_under(const struct live_inputs *in, const char *fmt, unsigned n)
{
	char rel[64], path[4096];

	snprintf(rel, sizeof(rel), fmt, n);
	snprintf(path, sizeof(path), "%s/%s", in->root, rel);
	return open(path, O_RDONLY | O_NONBLOCK);
}

/* A number in a /sys file under the root; @fallback when it is not there. */
static unsigned sys_number(const struct live_inputs *in, const char *fmt, unsigned n, unsigned fallback)
{
	char rel[128], *v;
	size_t len;

	snprintf(rel, sizeof(rel), fmt, n);
	uint64_t value;

	v = read_optional(in, rel, &len);
	if (v && sys_value(v, UINT32_MAX, &value))
		fallback = (unsigned)value;
	free(v);
	return fallback;
}

/* How many of a cpulist's ("0-3,8") members are below @below (UINT32_MAX: all of them). */
static unsigned cpulist_count(const char *list, unsigned below)
{
	unsigned n = 0;

	while (list && *list >= '0' && *list <= '9') {
		char *end;
		unsigned long a = strtoul(list, &end, 10), b = a;

		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		for (unsigned long i = a; i <= b && i < CPU_RECORDS_MAX * 64UL; i++)
			n += i < below;
		list = *end == ',' ? end + 1 : NULL;
	}
	return n;
}

/* The firmware's location of CPU @n as Linux's topology shows it. */
static void sys_location(const struct live_inputs *in, unsigned n, struct cpu_record *c)
{
	char rel[96], *v;
	size_t len;

	c->package = sys_number(in, "sys/devices/system/cpu/cpu%u/topology/physical_package_id", n, 0);
	c->core = sys_number(in, "sys/devices/system/cpu/cpu%u/topology/core_id", n, 0);
	snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", n);
	v = read_optional(in, rel, &len);
	c->thread = v ? cpulist_count(v, n) : 0;
	free(v);
}

/* An MSR the device refused is not the value 0: it leaves the record. */
static void drop_msrs(struct cpu_record *c, const struct dev_cpu *d)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < c->nr_msrs; i++) {
		bool bad = false;

		for (unsigned b = 0; b < d->nr_bad && !bad; b++)
			bad = c->msr[i].msr == d->bad[b];
		if (!bad)
			c->msr[kept++] = c->msr[i];
	}
	c->nr_msrs = kept;
}

/*
 * Read one online CPU through /dev/cpu/N.  Return: false when its cpuid
 * device cannot be opened, or answers no leaf 0 (then nothing is kept).
 */
static bool read_dev_cpu(struct live_inputs *in, unsigned n, struct cpu_record *c, bool *msrs)
{
	struct dev_cpu d = { open_under(in, "dev/cpu/%u/cpuid", n), open_under(in, "dev/cpu/%u/msr", n), 0, 0, { 0 } };
	struct cpu_access access = { dev_cpuid, d.msr_fd >= 0 ? dev_rdmsr : NULL, &d };
	const struct cpuid_regs *l0;
	bool read = false;

	*msrs = d.msr_fd >= 0;
	if (d.cpuid_fd >= 0) {
		cpu_record_read(c, &access);
		l0 = cpu_cpuid(c, 0, 0);
		read = l0 && (l0->ebx || l0->ecx || l0->edx);	/* a vendor: the device answered */
		c->state = read ? CPU_READ : CPU_FAILED;
		if (!read)
			c->nr_leaves = c->nr_msrs = 0;
		drop_msrs(c, &d);
		in->cpu_reads_failed += d.failed;
		close(d.cpuid_fd);
	}
	if (d.msr_fd >= 0)
		close(d.msr_fd);
	return read;
}

/*
 * Every online CPU (/proc/cpuinfo's processors, with their APIC IDs) read
 * through Linux's cpuid and msr devices, when they are there; otherwise the
 * records are not read and the report says which lines that costs.
 */
static void load_cpus(struct live_inputs *in, const char *cpuinfo)
{
	struct cpu_records *cpus = &in->fw.cpus;
	unsigned nr = 0, no_msrs = 0, unread = 0, left = 0;
	char *present;
	size_t len;
	bool msrs;

	for (const char *p = cpuinfo; (p = strstr(p, "processor")); p++)
		nr += p == cpuinfo || p[-1] == '\n';
	if (!nr)
		return;
	if (nr > CPU_RECORDS_MAX) {
		left = nr - CPU_RECORDS_MAX;
		nr = CPU_RECORDS_MAX;
	}
	cpus->cpu = in->cpu_records = calloc(nr, sizeof(*cpus->cpu));
	if (!cpus->cpu)
		return;
	for (const char *p = cpuinfo; cpus->nr < nr && (p = strstr(p, "processor")); p++) {
		struct cpu_record *c = &cpus->cpu[cpus->nr];
		const char *next, *apic;
		unsigned number, id;

		if ((p != cpuinfo && p[-1] != '\n') || sscanf(p, "processor : %u", &number) != 1)
			continue;
		next = strstr(p + 1, "\nprocessor");
		apic = strstr(p, "\napicid");
		c->number = number;
		c->apic_id = apic && (!next || apic < next) && sscanf(apic, "\napicid : %u", &id) == 1 ? id : UINT32_MAX;
		sys_location(in, number, c);
		if (!read_dev_cpu(in, number, c, &msrs)) {
			c->state = CPU_FAILED;
			unread++;
		}
		no_msrs += !msrs;
		cpus->nr++;
	}
	if (!cpus->nr || cpus->cpu[0].state != CPU_READ) {
		int fd = open_under(in, "dev/cpu/%u/cpuid", cpus->nr ? cpus->cpu[0].number : 0);

		note(in, "memprobe: note: analyze --live: the CPUs' CPUID and MSRs are not readable (%s/dev/cpu/0/cpuid: "
			 "%s; as root, modprobe cpuid msr): the memory-type and bring-up lines are not predicted\n",
		     in->root, fd < 0 ? strerror(errno) : "no answer");
		if (fd >= 0)
			close(fd);
		free(in->cpu_records);
		in->cpu_records = cpus->cpu = NULL;
		cpus->nr = 0;
		return;
	}
	present = read_optional(in, "sys/devices/system/cpu/present", &len);
	cpus->nr_firmware = present ? cpulist_count(present, UINT32_MAX) : cpus->nr + left;
	free(present);
	if (cpus->nr_firmware < cpus->nr)
		cpus->nr_firmware = cpus->nr;
	cpus->source = CPUS_LINUX;
	cpu_facts_from_record(&cpus->cpu[0], &in->fw.cpu);
	note(in, "memprobe: note: analyze --live: %u of %u CPUs read through %s/dev/cpu/N/cpuid%s: CPUID as the "
		 "hardware gives it%s\n",
	     cpus->nr - unread, cpus->nr_firmware, in->root, no_msrs ? "" : " and msr",
	     no_msrs ? "; the MSRs are not readable (as root, modprobe msr): the MTRRs and PAT are not read"
		     : "; the MTRRs and PAT as Linux left them (it rewrites PAT and gives every AP the boot CPU's "
		       "MTRRs), not as the firmware did");
	if (unread)
		note(in, "memprobe: note: analyze --live: %u online CPUs have no readable %s/dev/cpu/N/cpuid\n", unread,
		     in->root);
	if (left)
		note(in, "memprobe: note: analyze --live: %u CPUs past the first %u are not read\n", left,
		     CPU_RECORDS_MAX);
	if (in->cpu_reads_failed)
		note(in, "memprobe: note: analyze --live: the cpu and msr devices refused %u reads (read as 0)\n",
		     in->cpu_reads_failed);
}

/* /proc/cpuinfo's first CPU (vendor, flags, address sizes), then every CPU's record (load_cpus). */
static bool load_cpu(struct live_inputs *in)
{
	size_t len;
	char *text = read_optional_max(in, "proc/cpuinfo", &len, READ_MAX_CPU_FILE);
	struct cpu_facts *cpu = &in->fw.cpu;
	char *flags;

	if (!text) {
		fprintf(stderr, "memprobe analyze: cannot read %s/proc/cpuinfo\n", in->root);
		return false;
	}
	flags = strstr(text, "\nflags");
	if (!flags || !strstr(text, "vendor_id")) {
		fprintf(stderr, "memprobe analyze: %s/proc/cpuinfo has no vendor_id or flags line\n", in->root);
		free(text);
		return false;
	}
	cpu->known = true;
	sscanf(strstr(text, "vendor_id"), "vendor_id : %12s", cpu->vendor);
	if (strstr(text, "address sizes")) {
		unsigned phys = 0, virt = 0;

		if (sscanf(strstr(text, "address sizes"), "address sizes : %u bits physical, %u bits virtual", &phys,
			   &virt) != 2 || phys < 32 || phys > 64 || virt < 32 || virt > 64) {
			fprintf(stderr, "memprobe analyze: %s/proc/cpuinfo: its address sizes line is not 'N bits "
					"physical, M bits virtual' with N and M from 32 to 64\n", in->root);
			free(text);
			return false;
		}
		cpu->phys_bits = (uint8_t)phys;
		cpu->virt_bits = (uint8_t)virt;
	}
	if (strstr(text, "\napicid")) {	/* the first processor's: the boot CPU */
		unsigned id;

		if (sscanf(strstr(text, "\napicid"), "\napicid : %u", &id) == 1) {
			cpu->apic_id_known = true;
			cpu->apic_id = id;
		}
	}
	load_cpus(in, text);
	/* Last, as it cuts the text: the flags line's words. */
	flags = strchr(flags, ':');
	if (flags) {
		char *end = strchr(flags, '\n');

		if (end)
			*end = '\0';
		for (char *w = strtok(flags + 1, " "); w; w = strtok(NULL, " ")) {
			cpu->pse |= !strcmp(w, "pse");
			cpu->pge |= !strcmp(w, "pge");
			cpu->nx |= !strcmp(w, "nx");
			cpu->gbpages |= !strcmp(w, "pdpe1gb");
			cpu->la57 |= !strcmp(w, "la57");
			cpu->hypervisor |= !strcmp(w, "hypervisor");
		}
	}
	free(text);
	return true;
}

/* The firmware's name (DMI), Secure Boot (efivars) and the kernel's command line. */
static void load_identity(struct live_inputs *in)
{
	static const char global[] = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
	char rel[128], *v;
	size_t len;

	v = read_optional(in, "sys/class/dmi/id/bios_vendor", &len);
	if (v) {
		trim(v);
		snprintf(in->fw.fw_vendor, sizeof(in->fw.fw_vendor), "%s", v);
		free(v);
	}
	snprintf(rel, sizeof(rel), "sys/firmware/efi/efivars/SecureBoot-%s", global);
	v = read_optional(in, rel, &len);
	if (v) {	/* 4 bytes of attributes, then the value */
		in->fw.secure_boot = len == 5 && v[4] ? SECURE_BOOT_ON : SECURE_BOOT_OFF;
		free(v);
		snprintf(rel, sizeof(rel), "sys/firmware/efi/efivars/SetupMode-%s", global);
		v = read_optional(in, rel, &len);
		if (v && len == 5 && v[4] == 1 && in->fw.secure_boot == SECURE_BOOT_OFF)
			in->fw.secure_boot = SECURE_BOOT_SETUP_MODE;
		free(v);
	}
	v = read_optional(in, "proc/cmdline", &len);
	if (v) {
		trim(v);
		if (options_from_linux_cmdline(in->cmdline, sizeof(in->cmdline), v))
			in->fw.cmdline = in->cmdline;
		note(in, "memprobe: note: analyze --live: Linux's command line: %.300s\n", v);
		free(v);
	}
}

/**
 * live_load() - the running machine's inputs
 * @in: zeroed; in->root set ("" for /)
 *
 * Return: false after naming what is missing.
 */
bool live_load(struct live_inputs *in)
{
	in->fw.frontend = "host: memprobe analyze --live";
	if (!load_memmap(in) || !load_acpi(in) || !load_cpu(in))
		return false;
	load_identity(in);
	in->fw.notes = in->notes;
	return true;
}

void live_free(struct live_inputs *in)
{
	free(in->map);
	free(in->cpu_records);
	for (unsigned i = 0; i < in->nr_tables; i++) {
		free(in->names[i]);
		free(in->bytes[i]);
	}
}

/**
 * live_args() - "--live [--root DIR]" where a command's arguments start
 * @argc: the arguments after the command's name
 * @argv: them
 * @in: set to read under DIR, or the machine itself
 * @command: the command, for the messages
 *
 * Return: how many arguments it took (1 or 3), 0 when argv does not start
 * with --live, -1 after naming what is wrong.
 */
int live_args(int argc, char **argv, struct live_inputs *in, const char *command)
{
	if (argc < 1 || strcmp(argv[0], "--live"))
		return 0;
	if (argc < 2 || strcmp(argv[1], "--root"))
		return 1;
	if (argc < 3) {
		fprintf(stderr, "memprobe %s: --root needs a folder\n", command);
		return -1;
	}
	if (strlen(argv[2]) >= sizeof(in->root)) {
		fprintf(stderr, "memprobe %s: --root: the path is longer than %zu bytes\n", command,
			sizeof(in->root) - 1);
		return -1;
	}
	snprintf(in->root, sizeof(in->root), "%s", argv[2]);
	return 3;
}
