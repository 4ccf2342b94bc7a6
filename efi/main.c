// SPDX-License-Identifier: MIT
/*
 * memprobe.efi: collect the firmware's raw inputs, run the core on them,
 * print the report and save the run folder.  From a UEFI shell it returns
 * to the shell; with the "poweroff" option (run-qemu.sh sets it) it powers
 * off; with "exit_boot_services" it leaves boot services, loads real page
 * tables and resets (efi/exit_boot.c).
 */
#include "efi-frontend.h"

#include "memprobe/acpi/acpidump.h"
#include "memprobe/lib/util.h"
#include "memprobe/pipeline.h"
#include "memprobe/report/json.h"
#include "memprobe/report/views.h"
#include "memprobe/runfile.h"

/*
 * Lines the front end produces before the report starts; the core prints
 * them right after its banner so the report reads in order.
 */
struct notes {
	char text[4096];
	size_t len;
};

static void notes_write(void *ctx, const char *text, size_t len)
{
	struct notes *n = ctx;

	if (n->len + len >= sizeof(n->text))
		len = sizeof(n->text) - 1 - n->len;
	mp_memcpy(n->text + n->len, text, len);
	n->len += len;
	n->text[n->len] = '\0';
}

/* The report's lines: on the console (which OVMF and most firmware mirror on serial) and in report.txt. */
static void sink_write(void *ctx, const char *text, size_t len)
{
	struct efi_sink *sink = ctx;

	screen_write(&sink->screen, text, len);
	efi_file_write(&sink->report, text, len);
}

static void *pool_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return efi_alloc_pool(bytes);
}

/* memblock's arrays back to the pool; ctx is the report's log, for a refusal. */
static void pool_free(void *ctx, void *p, size_t bytes)
{
	(void)bytes;
	efi_free_pool(p, ctx);
}

/* A file of the run folder, written by one of the core's writers on what. */
static void save_file(struct run_folder *rf, const char *name,
		      void (*writer)(const void *what, struct mp_log *out), const void *what,
		      struct mp_log *log)
{
	struct efi_file *f = efi_alloc_pool(sizeof(*f));
	struct mp_log out = { .write = efi_file_write, .ctx = f };

	if (!f)
		return;
	efi_file_create(rf, f, name);
	writer(what, &out);
	efi_file_close(rf, f, log);
	efi_free_pool(f, log);
}

static void write_cpu(const void *fw, struct mp_log *out)
{
	cpu_facts_write(&((const struct fw_inputs *)fw)->cpu, out);
	cpu_records_write(&((const struct fw_inputs *)fw)->cpus, out);
}

static void write_facts(const void *fw, struct mp_log *out)
{
	run_facts_write(fw, out);
}

static void write_json(const void *m, struct mp_log *out)
{
	report_json(m, out);
}

/* acpi-read.txt: the bytes past a table's end that Linux reads. */
static void write_overreads(const void *m, struct mp_log *out)
{
	acpidump_write_overreads(&((const struct machine *)m)->acpi, out);
}

/* efi-read.txt: the EFI tables' bytes the stages read (the boot logo's header, the ESRT, ...). */
static void write_efi_reads(const void *m, struct mp_log *out)
{
	efi_reads_write(m, out);
}

/* ioapic.txt: the IO APICs' registers the analysis read. */
static void write_ioapic_reads(const void *m, struct mp_log *out)
{
	ioapic_reads_write(&((const struct machine *)m)->io_apics.reads, out);
}

/* memmap.bin, cpu.txt and firmware.txt: what memprobe analyze needs besides acpi.txt. */
static void save_inputs(struct run_folder *rf, const struct fw_inputs *fw, struct mp_log *log)
{
	if (fw->memmap.map) {
		struct memmap_file_header h;
		UINTN size = sizeof(h) + fw->memmap.map_size;
		uint8_t *bytes = efi_alloc_pool(size);

		memmap_file_header_init(&h, &fw->memmap);
		if (bytes) {
			mp_memcpy(bytes, &h, sizeof(h));
			mp_memcpy(bytes + sizeof(h), fw->memmap.map, fw->memmap.map_size);
			run_folder_save(rf, "memmap.bin", bytes, size, log);
			efi_free_pool(bytes, log);
		}
	}
	save_file(rf, "cpu.txt", write_cpu, fw, log);
	save_file(rf, "firmware.txt", write_facts, fw, log);
}

/*
 * Every CPU, with the options the collection takes (parsed again, with their
 * messages, by the core).  Return: the firmware calls fail= makes fail, which
 * the front end needs before the analysis.
 */
static unsigned collect_cpus(struct fw_inputs *fw, struct mp_log *log)
{
	struct option_source src[OPTION_SOURCES_MAX];
	struct options *o = efi_alloc_pool(sizeof(*o));
	uint64_t t0 = fw->clock.now_ns(fw->clock.ctx);
	unsigned fail;

	if (!o) {
		mp_printk(log, "memprobe: warning: no memory to read the options; no CPU is read\n");
		return 0;
	}
	options_init(o);
	options_parse_sources(o, src, machine_option_sources(fw, NULL, src));
	efi_collect_cpus(fw, o, log);
	fw->cpus_ns = fw->clock.now_ns(fw->clock.ctx) - t0;
	fail = o->fail;
	efi_free_pool(o, log);
	return fail;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct notes notes = { .len = 0 };
	struct mp_log notes_log = { .write = notes_write, .ctx = &notes };
	struct efi_sink *sink;
	struct run_folder run;
	struct mp_log log, acpidump;
	const struct memblock_storage pool_storage = { pool_alloc, pool_free, &log };
	struct sinks sinks = { &log, &acpidump };
	struct fw_inputs fw = { .frontend = NULL };
	struct machine *m;
	EFI_FILE_HANDLE root;
	bool poweroff, help;
	unsigned fail;
	char previous[2048];
	size_t previous_len;
	struct efi_clock clock;
	char folder[sizeof(run.path)] = "";
	EFI_STATUS st;

	InitializeLib(image, systab);
	efi_collect_clock(&fw, &clock, &notes_log);
	/* The boot manager arms a 5-minute watchdog; a slow emulator may need longer. */
	st = uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	if (EFI_ERROR(st))
		mp_printk(&notes_log, "memprobe: warning: the watchdog could not be turned off (SetWatchdogTimer: "
				      "%s); a slow run may be reset\n",
			  efi_status_name(st));
	sink = efi_alloc_pool(sizeof(*sink));
	m = efi_alloc_pool(sizeof(*m));
	if (!sink || !m) {
		Print(L"memprobe: error: cannot allocate %lu bytes for the analysis\n",
		      (unsigned long)(sizeof(*sink) + sizeof(*m)));
		return EFI_OUT_OF_RESOURCES;
	}
	mp_memset(sink, 0, sizeof(*sink));
	sink->screen.con = ST->ConOut;
	log = (struct mp_log){ .write = sink_write, .ctx = sink };
	acpidump = (struct mp_log){ .write = efi_file_write, .ctx = &sink->acpi };

	root = efi_open_boot_volume(image, &notes_log);
	efi_read_options(&fw, image, root, &notes_log);
	efi_collect_firmware(&fw);
	fail = collect_cpus(&fw, &notes_log);
	efi_collect_secure_boot(&fw, fail & FAIL_VARIABLES, &notes_log);
	run_folder_open(&run, root, fail & FAIL_FS, &notes_log);
	efi_file_create(&run, &sink->report, "report.txt");
	efi_file_create(&run, &sink->acpi, "acpi.txt");
	efi_collect_memmap(&fw, &notes_log);
	efi_collect_acpi(&fw);
	efi_collect_ioapic(&fw);
	efi_collect_tables(&fw, &notes_log);
	previous_len = kept_lines_take(previous, sizeof(previous), &notes_log);
	if (previous_len) {
		mp_printk(&notes_log, "memprobe: previous run after ExitBootServices:\n");
		notes_write(&notes, previous, previous_len);
		run_folder_save(&run, "previous-run-after-exit.txt", previous, previous_len, &notes_log);
	}
	fw.notes = notes.text;

	machine_init(m, &fw, NULL, &sinks, &pool_storage);
	help = m->opts.help;
	/* A person may be reading: poweroff and no_pause (run-qemu.sh, tests) say no one is. */
	screen_setup(&sink->screen, !m->opts.poweroff && !m->opts.no_pause, &notes_log);
	if (help)
		run_folder_discard(&run, &sink->report, &sink->acpi, &notes_log);
	memprobe_run(m);
	screen_report_failures(&sink->screen, &log);
	if (!help) {
		save_file(&run, "report.json", write_json, m, &log);
		if (m->acpi_overreads.nr)
			save_file(&run, "acpi-read.txt", write_overreads, m, &log);
		if (m->efi_reads.nr)
			save_file(&run, "efi-read.txt", write_efi_reads, m, &log);
		if (m->io_apics.reads.nr)
			save_file(&run, "ioapic.txt", write_ioapic_reads, m, &log);
		if (m->efi_reads.dropped)
			mp_printk(&log, "memprobe: warning: %u pieces of EFI tables the analysis read are not kept in "
					"efi-read.txt (more than %u); memprobe analyze of this run may differ\n",
				  m->efi_reads.dropped, EFI_READS_MAX);
	}
	machine_release(m);
	if (!help) {
		save_inputs(&run, &fw, &log);
		efi_file_close(&run, &sink->acpi, &log);
		mp_memcpy(folder, run.path, sizeof(folder));
		run_folder_close(&run, &sink->report, &log);
	}
	st = root ? uefi_call_wrapper(root->Close, 1, root) : EFI_SUCCESS;
	if (EFI_ERROR(st))
		mp_printk(&log, "memprobe: warning: closing the boot volume failed (%s)\n", efi_status_name(st));
	/* On the console only: what memprobe adds to a boot, run folder included. */
	mp_printk(&log, "memprobe: finished in %llu us since its start\n",
		  (unsigned long long)efi_clock_since_start_us(&clock));
	if (m->opts.exit_boot_services && !help)
		efi_exit_and_map(image, m, &log);	/* returns only if it could not leave */
	poweroff = m->opts.poweroff;
	efi_free_pool(m, &log);
	if (!poweroff && !help)
		screen_final_question(&sink->screen, folder[0] ? folder : NULL, &log);

	if (poweroff) {
		mp_printk(&log, "memprobe: powering off\n");
		uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
		mp_printk(&log, "memprobe: error: ResetSystem returned instead of powering off\n");
	}
	return EFI_SUCCESS;
}
