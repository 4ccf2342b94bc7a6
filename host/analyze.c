// SPDX-License-Identifier: MIT
/*
 * memprobe analyze RUN_DIR [OPTION]...: the run's own inputs (memmap.bin,
 * acpi.txt, cpu.txt, firmware.txt) through the same core, so the report
 * from the line after the banner to "memprobe: report complete" is the one
 * the machine printed.  Options after the folder override the run's own,
 * as the shell's override a config file on the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memprobe/acpi/acpidump.h"
#include "memprobe/report/json.h"
#include "memprobe/runfile.h"
#include "analyze.h"
#include "boot_memmap.h"
#include "compare.h"
#include "live.h"
#include "predict.h"
#include "readfile.h"
#include "text.h"

/* A run folder's files, read and decoded. */
struct run_inputs {
	char *memmap, *acpi, *cpu, *facts, *acpi_read, *efi_read, *ioapic;
	char *report;			/* report.txt: what the run said, its closing line checked */
	size_t memmap_len, acpi_len, cpu_len, facts_len, acpi_read_len, efi_read_len, ioapic_len;
	struct acpidump dump;
	struct acpidump read_dump;	/* acpi-read.txt: tables with the bytes read past their end */
	struct acpidump efi_dump;	/* efi-read.txt: the EFI tables' bytes the stages read */
	struct ioapic_reads ioapic_regs;	/* ioapic.txt: the IO APICs' registers the run read */
	struct fw_inputs fw;
};

static void stdout_write(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ctx);
}

static void discard_write(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	(void)text;
	(void)len;
}

static char *read_in(const char *dir, const char *name, size_t *len, size_t max)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_file(path, len, max);
}

/* A text file of the folder: one with a NUL byte in it is damaged (its text would end there). */
static char *read_text_in(const char *dir, const char *name, size_t *len, size_t max)
{
	char *text = read_in(dir, name, len, max);
	const char *nul = text ? memchr(text, '\0', *len) : NULL;

	if (nul) {
		fprintf(stderr, "memprobe analyze: %s/%s: a NUL byte at offset %zu: the file is damaged\n", dir, name,
			(size_t)(nul - text));
		free(text);
		return NULL;
	}
	return text;
}

/* The dump's tables, but only where the run's memory map says there is memory (as on the machine). */
static const uint8_t *run_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct run_inputs *in = ctx;
	const uint8_t *bytes;

	if (!efi_memmap_covers(&in->fw.memmap, phys, len))
		return NULL;
	bytes = acpidump_find(&in->read_dump, phys, len);
	if (!bytes)
		bytes = acpidump_find(&in->efi_dump, phys, len);
	return bytes ? bytes : acpidump_find(&in->dump, phys, len);
}

/* Bytes of the run's tables, wherever memprobe.efi saved them. */
static const uint8_t *saved(const struct run_inputs *in, uint64_t phys, uint64_t len)
{
	const uint8_t *bytes = acpidump_find(&in->dump, phys, len);

	if (!bytes)
		bytes = acpidump_find(&in->read_dump, phys, len);
	return bytes ? bytes : acpidump_find(&in->efi_dump, phys, len);
}

/* Whether the run's report names an address ("... 0x00000000bf777000 ..."): a table the machine refused. */
static bool named(const struct run_inputs *in, uint64_t phys)
{
	char text[24];

	snprintf(text, sizeof(text), "0x%016llx", (unsigned long long)phys);
	return in->report && strstr(in->report, text);
}

/*
 * memprobe.efi saves every table it reads, so a table the saved root table
 * lists at an address the run's map covers must be in acpi.txt (unless the
 * run's report names it: one the machine refused, unsaved), and no two
 * saved tables share an address: otherwise the folder is damaged, and the
 * tables missing would be taken for a firmware bug.  Return: whether whole.
 */
static bool dump_complete(const struct run_inputs *in, struct runfile_error *err)
{
	const struct acpidump *d = &in->dump;
	uint64_t rsdp = in->fw.acpi.rsdp20 ? in->fw.acpi.rsdp20 : in->fw.acpi.rsdp10, root = 0;
	const uint8_t *r, *t;
	unsigned entry, length;

	for (unsigned i = 0; i < d->nr; i++)
		for (unsigned j = i + 1; j < d->nr; j++)
			if (d->t[i].phys && d->t[i].phys == d->t[j].phys) {
				snprintf(err->text, sizeof(err->text), "two tables (%s, %s) at 0x%llx: the dump is "
					 "damaged", d->t[i].sig, d->t[j].sig, (unsigned long long)d->t[i].phys);
				return false;
			}
	if (!rsdp || !efi_memmap_covers(&in->fw.memmap, rsdp, 20))
		return true;
	if (!(r = saved(in, rsdp, 20))) {
		snprintf(err->text, sizeof(err->text), "no RSDP at 0x%llx, where firmware.txt says it is: the "
			 "dump is damaged", (unsigned long long)rsdp);
		return false;
	}
	entry = r[15] >= 2 && saved(in, rsdp, 36) ? 8 : 4;
	for (unsigned b = 0; b < entry; b++)
		root |= (uint64_t)r[(entry == 8 ? 24 : 16) + b] << (8 * b);
	if (!root && entry == 8) {	/* no XSDT: Linux and memprobe take the RSDT */
		entry = 4;
		for (unsigned b = 0; b < 4; b++)
			root |= (uint64_t)r[16 + b] << (8 * b);
	}
	if (!root)
		return true;
	if (!efi_memmap_covers(&in->fw.memmap, root, 36))
		return true;
	if (!(t = saved(in, root, 36))) {
		snprintf(err->text, sizeof(err->text), "no %s at 0x%llx, where the RSDP points: the dump is damaged",
			 entry == 8 ? "XSDT" : "RSDT", (unsigned long long)root);
		return false;
	}
	length = t[4] | t[5] << 8 | t[6] << 16 | (unsigned)t[7] << 24;
	if (length < 36 || !(t = saved(in, root, length)))
		return true;	/* the root table's own fault: the analysis names it */
	for (unsigned i = 0; i < (length - 36) / entry; i++) {
		uint64_t at = 0;

		for (unsigned b = 0; b < entry; b++)
			at |= (uint64_t)t[36 + i * entry + b] << (8 * b);
		if (at && efi_memmap_covers(&in->fw.memmap, at, 36) && !saved(in, at, 36) && !named(in, at)) {
			snprintf(err->text, sizeof(err->text), "the %s's entry %u (0x%llx) is not in the dump, though "
				 "the run's memory map covers it: the dump is damaged", entry == 8 ? "XSDT" : "RSDT",
				 i, (unsigned long long)at);
			return false;
		}
	}
	return true;
}

/* The IO APICs' registers as the run read them; one the run did not read is not known. */
static bool run_ioapic(void *ctx, uint32_t base, uint32_t regs[IO_APIC_REGS])
{
	const struct run_inputs *in = ctx;

	return ioapic_reads_find(&in->ioapic_regs, base, regs);
}

/* The dump reader's complaints, on stderr under the file's name, counted. */
struct complaints {
	const char *path;
	unsigned count;
};

static void complain(void *ctx, const char *text, size_t len)
{
	struct complaints *c = ctx;

	c->count++;
	if (len > 10 && !strncmp(text, "memprobe: ", 10)) {
		text += 10;
		len -= 10;
	}
	fprintf(stderr, "memprobe analyze: %s: %.*s", c->path, (int)len, text);
}

static bool has_text(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return true;
	return false;
}

static bool bad(const char *dir, const char *name, const char *why)
{
	fprintf(stderr, "memprobe analyze: %s/%s: %s\n", dir, name, why);
	return false;
}

/*
 * A dump the folder may hold, parsed into *dump.  Return: true when it is
 * absent or parsed; false after naming what is wrong (empty says how).
 */
static bool read_optional_dump(const char *dir, const char *name, char **text, size_t *len, struct acpidump *dump,
				const char *empty)
{
	char path[4096];
	struct complaints says = { path, 0 };
	struct mp_log log = { .write = complain, .ctx = &says };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK) != 0)
		return true;
	if (!(*text = read_file(path, len, READ_MAX_ACPI_DUMP)))
		return false;
	if (memchr(*text, '\0', *len))
		return bad(dir, name, "a NUL byte in it: the file is damaged");
	dump->buf_size = *len / 2 + 1;
	dump->buf = malloc(dump->buf_size);
	if (!dump->buf || !acpidump_parse(dump, *text, *len, &log))
		return bad(dir, name, empty);
	if (says.count)		/* as for acpi.txt: memprobe.efi writes whole dumps */
		return bad(dir, name, "the dump is damaged (see above); memprobe.efi writes whole dumps");
	return true;
}

/* cpu.txt: the facts, and room for as many records as it has "cpu:" lines (up to what a run reads). */
static bool load_cpus(char *text, struct fw_inputs *fw, struct runfile_error *err)
{
	unsigned records = 0;

	for (const char *p = text; (p = strstr(p, "cpu: ")) && records < CPU_RECORDS_MAX; p++)
		records += p == text || p[-1] == '\n';
	fw->cpus.cpu = calloc(records + 1, sizeof(*fw->cpus.cpu));
	if (!fw->cpus.cpu) {
		snprintf(err->text, sizeof(err->text), "no memory for %u CPUs' records", records);
		return false;
	}
	return cpu_facts_read(text, &fw->cpu, &fw->cpus, records + 1, err);
}

/*
 * memprobe.efi closes report.txt last, after its "memprobe: run saved in
 * PATH: FILES" line: a folder without that line, or without a file it names,
 * was cut off (a power cut, a stick pulled) while being written, and is no
 * run to analyse.  Return: whether the folder is whole; false after saying so.
 */
static bool folder_complete(struct run_inputs *in, const char *dir)
{
	char path[4096], *report, *saved = NULL, *files, *end;
	size_t len;
	bool whole = true;

	snprintf(path, sizeof(path), "%s/report.txt", dir);
	if (access(path, F_OK) || !(report = read_file(path, &len, READ_MAX_LOG))) {
		fprintf(stderr, "memprobe analyze: %s is incomplete: it has no report.txt, which memprobe.efi writes "
				"first and closes last (the run was cut off while writing it)\n", dir);
		return false;
	}
	for (char *p = report; (p = strstr(p, "memprobe: run saved in ")); p++)
		if (p == report || p[-1] == '\n')
			saved = p;
	files = saved ? strstr(saved, ": report.txt") : NULL;
	if (!files) {
		fprintf(stderr, "memprobe analyze: %s is incomplete: its report.txt does not end with the 'memprobe: "
				"run saved in' line (the run was cut off, by a power cut or a pulled stick, while "
				"writing its folder)\n", dir);
		in->report = report;
		return false;
	}
	for (char *name = files + 2; whole && *name && *name != '\n'; name = end) {
		size_t n = strcspn(name, " \n");

		end = name + n + (name[n] == ' ');
		snprintf(path, sizeof(path), "%s/%.*s", dir, (int)n, name);
		if (access(path, F_OK)) {
			fprintf(stderr, "memprobe analyze: %s is incomplete: its report.txt names %.*s, which is not "
					"there\n", dir, (int)n, name);
			whole = false;
		}
	}
	in->report = report;
	return whole;
}

/* Every file of the folder into in->fw; false after naming what is wrong. */
static bool load_folder(struct run_inputs *in, const char *dir)
{
	struct fw_inputs *fw = &in->fw;
	struct runfile_error err = { "" };
	char acpi_path[4096];
	struct complaints dump_says = { acpi_path, 0 };
	struct mp_log dump_log = { .write = complain, .ctx = &dump_says };

	if (!folder_complete(in, dir) ||
	    !(in->memmap = read_in(dir, "memmap.bin", &in->memmap_len, MEMMAP_FILE_MAX)) ||
	    !(in->cpu = read_text_in(dir, "cpu.txt", &in->cpu_len, READ_MAX_CPU_FILE)) ||
	    !(in->facts = read_text_in(dir, "firmware.txt", &in->facts_len, READ_MAX_TEXT_FILE)) ||
	    !(in->acpi = read_text_in(dir, "acpi.txt", &in->acpi_len, READ_MAX_ACPI_DUMP)))
		return false;
	fw->frontend = "host: memprobe analyze";
	if (!memmap_file_read((const uint8_t *)in->memmap, in->memmap_len, &fw->memmap, &err))
		return bad(dir, "memmap.bin", err.text);
	if (!load_cpus(in->cpu, fw, &err))
		return bad(dir, "cpu.txt", err.text);
	in->dump.buf_size = in->acpi_len / 2 + 1;
	in->dump.buf = malloc(in->dump.buf_size);
	if (!in->dump.buf)
		return bad(dir, "acpi.txt", "too big to decode in memory");
	/* A run whose firmware had no tables saves an empty dump: that is no error. */
	snprintf(acpi_path, sizeof(acpi_path), "%s/acpi.txt", dir);
	if (!acpidump_parse(&in->dump, in->acpi, in->acpi_len, &dump_log) && has_text(in->acpi))
		return bad(dir, "acpi.txt", "no table in acpidump's text format");
	if (dump_says.count)
		return bad(dir, "acpi.txt", "the dump is damaged (see above); memprobe.efi writes whole tables");
	/* Only a run in which Linux reads past a table's end has acpi-read.txt; only one that read
	 * EFI tables (the boot logo, an ESRT, ...) has efi-read.txt. */
	if (!read_optional_dump(dir, "acpi-read.txt", &in->acpi_read, &in->acpi_read_len, &in->read_dump,
				"no table in acpidump's text format") ||
	    !read_optional_dump(dir, "efi-read.txt", &in->efi_read, &in->efi_read_len, &in->efi_dump,
				"no piece of memory in acpidump's text format"))
		return false;
	/* A run that read no IO APIC, or one from before memprobe kept them, has no ioapic.txt. */
	snprintf(acpi_path, sizeof(acpi_path), "%s/ioapic.txt", dir);
	if (access(acpi_path, F_OK) == 0) {
		if (!(in->ioapic = read_text_in(dir, "ioapic.txt", &in->ioapic_len, READ_MAX_TEXT_FILE)))
			return false;
		if (!ioapic_reads_read(in->ioapic, &in->ioapic_regs, &err))
			return bad(dir, "ioapic.txt", err.text);
	}
	fw->ioapic.read = run_ioapic;
	fw->ioapic.ctx = in;
	acpidump_access(&in->dump, &fw->acpi);
	fw->acpi.map = run_map;
	fw->acpi.ctx = in;
	fw->acpi.source = NULL;		/* the run's memory map: what the machine had */
	if (!run_facts_read(in->facts, fw, &err))
		return bad(dir, "firmware.txt", err.text);
	if (!dump_complete(in, &err))
		return bad(dir, "acpi.txt", err.text);
	return true;
}

/**
 * run_inputs_free() - what run_inputs_load() took
 * @in: the inputs, or NULL
 */
void run_inputs_free(struct run_inputs *in)
{
	if (!in)
		return;
	free(in->memmap);
	free(in->report);
	free(in->cpu);
	free(in->fw.cpus.cpu);
	free(in->facts);
	free(in->acpi);
	free(in->dump.buf);
	free(in->acpi_read);
	free(in->read_dump.buf);
	free(in->efi_read);
	free(in->efi_dump.buf);
	free(in->ioapic);
	free(in);
}

/**
 * run_inputs_load() - a run folder's inputs
 * @dir: the folder (\\memprobe\\runs\\NNNN, copied)
 * @in: set to the inputs, to free with run_inputs_free()
 *
 * Return: the firmware inputs, or NULL after naming what is wrong.
 */
struct fw_inputs *run_inputs_load(const char *dir, struct run_inputs **in)
{
	*in = calloc(1, sizeof(**in));
	if (*in && load_folder(*in, dir))
		return &(*in)->fw;
	run_inputs_free(*in);
	*in = NULL;
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: memprobe analyze [--json] [--log LINUX_LOG] RUN_DIR [OPTION]...\n"
		   "       memprobe analyze [--json] [--log LINUX_LOG] --live [--root DIR] [OPTION]...\n"
		   "       (--json and --log LINUX_LOG may stand anywhere)\n\n"
		   "Runs the whole analysis again on a run folder that memprobe.efi saved\n"
		   "(\\memprobe\\runs\\NNNN: memmap.bin, acpi.txt, cpu.txt, firmware.txt) and prints the\n"
		   "report: from the line after the banner to 'memprobe: report complete' it is the\n"
		   "report the machine printed.  OPTIONs (memprobe.efi's, e.g. mem=3G numa=fake=4)\n"
		   "override the run's own: what Linux would do on that machine with another\n"
		   "command line.  --json prints report.json instead (docs/report-schema.json).\n\n"
		   "--log LINUX_LOG predicts the boot that log shows, with the facts memprobe compare\n"
		   "takes from it in place of the run's own options: the command line's memory\n"
		   "words, the kernel and the image's place, the initrd, the setup_data nodes, the\n"
		   "boot logo, the build's percpu size and (efi=debug) the boot's EFI memory map\n"
		   "(said on standard error); OPTIONs still win.\n\n"
		   "--live predicts this Linux machine's boot from what Linux shows of its firmware:\n"
		   "/sys/firmware/memmap, /sys/firmware/acpi/tables, /sys/firmware/efi/systab,\n"
		   "/proc/cpuinfo, /proc/cmdline and the kernel's log (/dev/kmsg, for the tables'\n"
		   "addresses; run as root).  --root DIR reads a copy of those files under DIR.\n"
		   "Exit status: 0 done, 2 unusable input or usage.\n");
}

/*
 * The run's or the machine's inputs through the pipeline, options after them
 * overriding; with a log, its boot's options in place of the run's own.
 */
static int run_analysis(const struct fw_inputs *fw, const char *log, bool json, char **options, int nr_options)
{
	struct mp_log out = { .write = stdout_write, .ctx = stdout }, discard = { .write = discard_write };
	const struct sinks sinks = { json ? &discard : &out, NULL };
	struct text overrides = { NULL, 0, 0 };
	struct fw_inputs booted;
	char log_options[4096];
	struct boot_memmap boot_map = { NULL, { NULL, 0, 0, 0 }, 0 };
	struct machine *m;

	if (log) {
		if (!log_prediction(log, &fw->memmap, log_options, sizeof(log_options), &boot_map))
			return 2;
		booted = *fw;
		booted.nr_option_files = 0;
		booted.cmdline = log_options;
		if (boot_map.bytes)
			booted.memmap = boot_map.map;
		fw = &booted;
	}

	for (int i = 0; i < nr_options; i++) {
		if (i)
			text_add(&overrides, " ", 1);
		text_add(&overrides, options[i], strlen(options[i]));
	}
	m = predict(fw, overrides.s, &sinks, PREDICT_ALL);
	if (m && json)
		report_json(m, &out);
	predict_free(m);
	text_free(&overrides);
	boot_memmap_free(&boot_map);
	return m ? 0 : 2;
}

static int analyze_live(int argc, char **argv, const char *log, bool json)
{
	struct live_inputs *in = calloc(1, sizeof(*in));
	int used = in ? live_args(argc, argv, in, "analyze") : -1, status = 2;

	for (int i = used; used > 0 && i < argc; i++)
		if (argv[i][0] == '-') {
			fprintf(stderr, "memprobe analyze: unknown flag '%s' (memprobe's options have no dashes; "
					"--json may stand anywhere)\n", argv[i]);
			used = -1;
		}
	if (used > 0 && live_load(in))
		status = run_analysis(&in->fw, log, json, argv + used, argc - used);
	if (in)
		live_free(in);
	free(in);
	return status;
}

int analyze_command(int argc, char **argv)
{
	struct run_inputs *in;
	struct fw_inputs *fw;
	const char *log = NULL;
	bool json;
	int status, kept;

	/* Past "memprobe analyze": (--live [--root DIR] | RUN_DIR), memprobe's options, and --json anywhere */
	argc -= 2;
	argv += 2;
	json = false;
	kept = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--log") && i + 1 < argc && !log)
			log = argv[++i];
		else if (!strcmp(argv[i], "--log")) {
			fprintf(stderr, "memprobe analyze: --log needs one Linux log, given once\n");
			usage(stderr);
			return 2;
		} else
			argv[kept++] = argv[i];
	}
	argc = kept;
	if (argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc >= 1 && !strcmp(argv[0], "--live"))
		return analyze_live(argc, argv, log, json);
	if (argc < 1 || argv[0][0] == '-') {
		fprintf(stderr, "memprobe analyze: %s%s%s\n", argc < 1 ? "a run folder is needed" : "unknown option '",
			argc < 1 ? "" : argv[0], argc < 1 ? "" : "'");
		usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-') {	/* memprobe's options are words: a dash is a host-tool flag out of place */
			fprintf(stderr, "memprobe analyze: unknown flag '%s' (memprobe's options have no dashes; "
					"--json may stand anywhere)\n", argv[i]);
			usage(stderr);
			return 2;
		}
	fw = run_inputs_load(argv[0], &in);
	if (!fw)
		return 2;
	status = run_analysis(fw, log, json, argv + 1, argc - 1);
	run_inputs_free(in);
	return status;
}
