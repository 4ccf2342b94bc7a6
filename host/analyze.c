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

#include "memprobe/acpidump.h"
#include "memprobe/machine.h"
#include "memprobe/report.h"
#include "memprobe/runfile.h"
#include "analyze.h"
#include "heap.h"
#include "readfile.h"

/* A run folder's files, read and decoded. */
struct run_inputs {
	char *memmap, *acpi, *cpu, *facts;
	size_t memmap_len, acpi_len, cpu_len, facts_len;
	struct acpidump dump;
	char overrides[4096];
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

static char *read_in(const char *dir, const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_file(path, len);
}

/* The dump's tables, but only where the run's memory map says there is memory (as on the machine). */
static const uint8_t *run_map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct run_inputs *in = ctx;

	if (!efi_memmap_covers(&in->fw.memmap, phys, len))
		return NULL;
	for (unsigned i = 0; i < in->dump.nr; i++) {
		const struct acpi_table *t = &in->dump.t[i];

		if (phys >= t->phys && len <= t->length && phys - t->phys <= t->length - len)
			return t->bytes + (phys - t->phys);
	}
	return NULL;
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

/* Every file of the folder into in->fw; false after naming what is wrong. */
static bool load_run(struct run_inputs *in, const char *dir)
{
	struct fw_inputs *fw = &in->fw;
	struct runfile_error err = { "" };
	char acpi_path[4096];
	struct complaints dump_says = { acpi_path, 0 };
	struct mp_log dump_log = { complain, &dump_says };

	if (!(in->memmap = read_in(dir, "memmap.bin", &in->memmap_len)) ||
	    !(in->cpu = read_in(dir, "cpu.txt", &in->cpu_len)) ||
	    !(in->facts = read_in(dir, "firmware.txt", &in->facts_len)) ||
	    !(in->acpi = read_in(dir, "acpi.txt", &in->acpi_len)))
		return false;
	fw->frontend = "host: memprobe analyze";
	if (!memmap_file_read((const uint8_t *)in->memmap, in->memmap_len, &fw->memmap, &err))
		return bad(dir, "memmap.bin", err.text);
	if (!cpu_facts_read(in->cpu, &fw->cpu, &err))
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
	acpidump_access(&in->dump, &fw->acpi);
	fw->acpi.map = run_map;
	fw->acpi.ctx = in;
	if (!run_facts_read(in->facts, fw, &err))
		return bad(dir, "firmware.txt", err.text);
	return true;
}

static void free_run(struct run_inputs *in)
{
	free(in->memmap);
	free(in->cpu);
	free(in->facts);
	free(in->acpi);
	free(in->dump.buf);
	free(in);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: memprobe analyze [--json] RUN_DIR [OPTION]...\n\n"
		   "Runs the whole analysis again on a run folder that memprobe.efi saved\n"
		   "(\\memprobe\\runs\\NNNN: memmap.bin, acpi.txt, cpu.txt, firmware.txt) and prints the\n"
		   "report: from the line after the banner to 'memprobe: report complete' it is the\n"
		   "report the machine printed.  OPTIONs (memprobe.efi's, e.g. mem=3G numa=fake=4)\n"
		   "override the run's own: what Linux would do on that machine with another\n"
		   "command line.  --json prints report.json instead (docs/report-schema.json).\n"
		   "Exit status: 0 done, 2 unusable folder or usage.\n");
}

int analyze_command(int argc, char **argv)
{
	struct run_inputs *in;
	struct machine *m;
	struct mp_log out = { stdout_write, stdout }, discard = { discard_write, NULL };
	bool json = argc >= 3 && !strcmp(argv[2], "--json");
	const struct sinks sinks = { json ? &discard : &out, NULL };
	size_t used = 0;
	int status = 0;

	if (json) {	/* memprobe analyze --json RUN_DIR ...: the rest as without it */
		argv++;
		argc--;
	}
	if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3 || argv[2][0] == '-') {
		fprintf(stderr, "memprobe analyze: %s '%s'\n", argc < 3 ? "a run folder is needed" : "unknown option",
			argc < 3 ? "" : argv[2]);
		usage(stderr);
		return 2;
	}
	in = calloc(1, sizeof(*in));
	m = malloc(sizeof(*m));
	if (!in || !m || !load_run(in, argv[2])) {
		status = 2;
		goto out;
	}
	/* The run's command line sits below the overrides, as a config file below the shell's. */
	if (in->fw.cmdline && in->fw.nr_option_files < OPTION_SOURCES_MAX - 1)
		in->fw.option_files[in->fw.nr_option_files++] = (struct option_source){ NULL, in->fw.cmdline };
	in->fw.cmdline = NULL;
	for (int i = 3; i < argc; i++) {
		int n = snprintf(in->overrides + used, sizeof(in->overrides) - used, "%s%s", used ? " " : "",
				 argv[i]);

		if (n < 0 || (size_t)n >= sizeof(in->overrides) - used) {
			fprintf(stderr, "memprobe analyze: the options are longer than %zu bytes\n",
				sizeof(in->overrides));
			status = 2;
			goto out;
		}
		used += (size_t)n;
		in->fw.cmdline = in->overrides;
	}
	machine_init(m, &in->fw, &sinks, &host_heap);
	memprobe_run(m);
	if (json)
		report_json(m, &out);
	machine_release(m);
out:
	if (in)
		free_run(in);
	free(m);
	return status;
}
