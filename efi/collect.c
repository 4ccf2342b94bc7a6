// SPDX-License-Identifier: MIT
/*
 * Collecting the raw inputs: firmware identity, the memory map, and the
 * options (shell arguments and the config files).  Nothing here interprets
 * them; the core does.
 */
#include "efi-frontend.h"

#include "memprobe/lib/util.h"

#define CONFIG_MAX 16384
#define MEMMAP_TRIES 8

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/**
 * efi_clock_since_start_us() - microseconds since efi_collect_clock() began
 * @c: the clock
 *
 * Return: the time memprobe has taken so far.
 */
uint64_t efi_clock_since_start_us(const struct efi_clock *c)
{
	return (rdtsc() - c->start_tsc) / c->tsc_per_us;
}

static uint64_t tsc_now_ns(void *ctx)
{
	const struct efi_clock *c = ctx;
	uint64_t t = rdtsc();

	return t / c->tsc_per_us * 1000 + t % c->tsc_per_us * 1000 / c->tsc_per_us;
}

/*
 * The TSC as memprobe's clock, its rate measured over 5 ms of the firmware's
 * Stall.  Called first, so c->start_tsc is memprobe's start.
 */
void efi_collect_clock(struct fw_inputs *fw, struct efi_clock *c, struct mp_log *log)
{
	uint64_t t0 = rdtsc();
	EFI_STATUS st;

	c->start_tsc = t0;
	st = uefi_call_wrapper(BS->Stall, 1, 5000);
	if (EFI_ERROR(st))
		mp_printk(log, "memprobe: warning: Stall failed (%s); the timing lines are not to be "
			       "trusted\n",
			  efi_status_name(st));
	c->tsc_per_us = (rdtsc() - t0) / 5000;
	if (!c->tsc_per_us)
		c->tsc_per_us = 1;
	fw->clock = (struct mp_clock){ tsc_now_ns, c };
}

void efi_collect_firmware(struct fw_inputs *fw)
{
	UINTN i = 0;

	fw->frontend = "UEFI x86_64";
	if (ST->FirmwareVendor)
		for (; ST->FirmwareVendor[i] && i + 1 < sizeof(fw->fw_vendor); i++)
			fw->fw_vendor[i] = ST->FirmwareVendor[i] < 0x80 ? (char)ST->FirmwareVendor[i] : '?';
	fw->fw_vendor[i] = '\0';
	fw->fw_revision = ST->FirmwareRevision;
	fw->uefi_revision = ST->Hdr.Revision;
}

/*
 * GetMemoryMap into a pool buffer.  The buffer allocation itself can add
 * descriptors, so each retry asks for what the firmware said plus room for
 * eight more.  On failure fw->memmap.map stays NULL and a line says why.
 */
void efi_collect_memmap(struct fw_inputs *fw, struct mp_log *log)
{
	UINTN size = 0, key = 0, desc_size = 0;
	UINT32 desc_version = 0;
	CHAR8 *buf = NULL;
	EFI_STATUS st = EFI_BUFFER_TOO_SMALL;

	for (int tries = 0; st == EFI_BUFFER_TOO_SMALL && tries < MEMMAP_TRIES; tries++) {
		efi_free_pool(buf, log);
		buf = efi_alloc_memmap_buffer(8, &size, log);
		if (!buf) {
			mp_printk(log, "memprobe: error: the EFI memory map is not read\n");
			return;
		}
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, (EFI_MEMORY_DESCRIPTOR *)buf, &key,
				       &desc_size, &desc_version);
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: error: GetMemoryMap failed: %s (0x%lx)\n", efi_status_name(st),
			  (unsigned long)st);
		efi_free_pool(buf, log);
		return;
	}
	fw->memmap.map = (const uint8_t *)buf;
	fw->memmap.map_size = size;
	fw->memmap.desc_size = desc_size;
	fw->memmap.desc_version = desc_version;
}

/* LoadOptions are text only when they are NUL-free printable UCS-2. */
static UINTN load_options_text(EFI_LOADED_IMAGE *li, char *out, UINTN max)
{
	const CHAR16 *w = li->LoadOptions;
	UINTN n = li->LoadOptionsSize / sizeof(CHAR16), len = 0;

	if (!w || li->LoadOptionsSize % sizeof(CHAR16))
		return 0;
	for (UINTN i = 0; i < n && w[i]; i++) {
		if (w[i] >= 0x7f || (w[i] < 0x20 && w[i] != '\t'))
			return 0;
		if (len + 1 < max)
			out[len++] = (char)w[i];
	}
	out[len] = '\0';
	return len;
}

/*
 * A config file's text in pool memory, NUL bytes as spaces, or NULL when
 * there is none (a line says why when it exists but cannot be read).
 */
static char *read_config(EFI_FILE_HANDLE root, CHAR16 *path, const char *name, struct mp_log *log)
{
	EFI_FILE_HANDLE f;
	UINTN size = CONFIG_MAX;
	EFI_STATUS st, close;
	char *text;

	if (!root)
		return NULL;
	st = uefi_call_wrapper(root->Open, 5, root, &f, path, EFI_FILE_MODE_READ, 0);
	if (st == EFI_NOT_FOUND)
		return NULL;
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: cannot open %s (%s); ignored\n", name, efi_status_name(st));
		return NULL;
	}
	text = efi_alloc_pool(CONFIG_MAX + 1);
	st = text ? uefi_call_wrapper(f->Read, 3, f, &size, text) : EFI_OUT_OF_RESOURCES;
	close = uefi_call_wrapper(f->Close, 1, f);
	if (EFI_ERROR(close))
		mp_printk(log, "memprobe: warning: closing %s failed (%s)\n", name, efi_status_name(close));
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: cannot read %s (%s); ignored\n", name, efi_status_name(st));
		efi_free_pool(text, log);
		return NULL;
	}
	if (size == CONFIG_MAX)
		mp_printk(log, "memprobe: warning: %s is longer than %u bytes; the rest is ignored\n", name,
			  CONFIG_MAX);
	for (UINTN i = 0; i < size; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	text[size] = '\0';
	return text;
}

/*
 * The options: the config files (the old \memprobe.cfg, then
 * \memprobe\memprobe.conf) below the shell's command line, which wins.
 */
void efi_read_options(struct fw_inputs *fw, EFI_HANDLE image, EFI_FILE_HANDLE root, struct mp_log *log)
{
	static const struct {
		CHAR16 *path;
		const char *name;
	} files[] = {
		{ L"\\memprobe.cfg", "\\memprobe.cfg" },
		{ L"\\memprobe\\memprobe.conf", "\\memprobe\\memprobe.conf" },
	};
	EFI_LOADED_IMAGE *li = NULL;
	char *args;

	for (UINTN i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = read_config(root, files[i].path, files[i].name, log);

		if (text)
			fw->option_files[fw->nr_option_files++] = (struct option_source){ files[i].name, text };
	}
	args = efi_alloc_pool(CONFIG_MAX + 1);
	if (args && !EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
						 (void **)&li)) &&
	    load_options_text(li, args, CONFIG_MAX + 1)) {
		const char *rest = options_skip_program_name(args);

		mp_memmove(args, rest, mp_strlen(rest) + 1);
		fw->cmdline = args;
	}
}

/* SecureBoot and SetupMode, the global variables UEFI 2.3.1 defines. */
void efi_collect_secure_boot(struct fw_inputs *fw, bool fail, struct mp_log *log)
{
	EFI_GUID global = EFI_GLOBAL_VARIABLE;
	UINT8 secure = 0, setup = 0;
	UINTN size = sizeof(secure);
	EFI_STATUS st;

	st = fail ? EFI_DEVICE_ERROR
		  : uefi_call_wrapper(RT->GetVariable, 5, L"SecureBoot", &global, NULL, &size, &secure);
	if (st == EFI_NOT_FOUND) {
		fw->secure_boot = SECURE_BOOT_UNSUPPORTED;
		return;
	}
	if (EFI_ERROR(st) || size != 1) {
		mp_printk(log, "memprobe: warning: GetVariable(SecureBoot) %s%s%s; Secure Boot is not known\n",
			  EFI_ERROR(st) ? "failed: " : "gave a value that is not one byte",
			  EFI_ERROR(st) ? efi_status_name(st) : "", fail ? " (fail=variables)" : "");
		return;
	}
	size = sizeof(setup);
	if (!secure && !EFI_ERROR(uefi_call_wrapper(RT->GetVariable, 5, L"SetupMode", &global, NULL, &size,
						     &setup)) && size == 1 && setup == 1) {
		fw->secure_boot = SECURE_BOOT_SETUP_MODE;
		return;
	}
	fw->secure_boot = secure ? SECURE_BOOT_ON : SECURE_BOOT_OFF;
}

/* Reads of physical memory, allowed only inside the firmware's memory map. */
static const uint8_t *map_physical(void *ctx, uint64_t phys, uint64_t len)
{
	const struct efi_memmap *m = ctx;

	if (!efi_memmap_covers(m, phys, len))
		return NULL;
	return (const uint8_t *)(UINTN)phys;
}

/*
 * The configuration table, every entry as it is (Linux's EFI code reads
 * the GUIDs it knows), and the PCI functions' option ROMs as their PCI I/O
 * protocols show them, in handle order: what Linux's EFI stub copies into
 * setup_data.
 */
void efi_collect_tables(struct fw_inputs *fw, struct mp_log *log)
{
	EFI_HANDLE *handles = NULL;
	UINTN nr = 0;
	EFI_STATUS st;

	for (UINTN i = 0; i < ST->NumberOfTableEntries && fw->efi.nr_config < EFI_CONFIG_TABLES_MAX; i++) {
		struct efi_config_table *t = &fw->efi.config[fw->efi.nr_config++];

		mp_memcpy(t->guid, &ST->ConfigurationTable[i].VendorGuid, sizeof(t->guid));
		t->table = (UINTN)ST->ConfigurationTable[i].VendorTable;
	}
	if (ST->NumberOfTableEntries > EFI_CONFIG_TABLES_MAX)
		mp_printk(log, "memprobe: warning: the firmware has %lu configuration tables; the first %u are "
			       "read\n",
			  (unsigned long)ST->NumberOfTableEntries, EFI_CONFIG_TABLES_MAX);
	st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &PciIoProtocol, NULL, &nr, &handles);
	if (st == EFI_NOT_FOUND) {
		fw->efi.roms_known = true;	/* no PCI device: no ROM */
		return;
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: the PCI devices cannot be listed (LocateHandleBuffer: %s); "
			       "their option ROMs are not known\n",
			  efi_status_name(st));
		return;
	}
	fw->efi.roms_known = true;
	for (UINTN i = 0; i < nr; i++) {
		EFI_PCI_IO_PROTOCOL *pci = NULL;
		struct efi_pci_rom rom = { .size = 0 };
		UINTN seg, bus, dev, fn;

		st = uefi_call_wrapper(BS->HandleProtocol, 3, handles[i], &PciIoProtocol, (void **)&pci);
		if (EFI_ERROR(st) || !pci) {
			mp_printk(log, "memprobe: warning: PCI handle %lu has no PCI I/O protocol (%s)\n",
				  (unsigned long)i, efi_status_name(st));
			continue;
		}
		if (!pci->RomImage || !pci->RomSize)
			continue;
		/* The stub's own reads: a function it cannot read is one whose ROM it skips. */
		if (EFI_ERROR(uefi_call_wrapper(pci->Pci.Read, 5, pci, EfiPciIoWidthUint16, 0, 1, &rom.vendor)) ||
		    EFI_ERROR(uefi_call_wrapper(pci->Pci.Read, 5, pci, EfiPciIoWidthUint16, 2, 1, &rom.devid)) ||
		    EFI_ERROR(uefi_call_wrapper(pci->GetLocation, 5, pci, &seg, &bus, &dev, &fn)))
			continue;
		if (fw->efi.nr_roms == EFI_PCI_ROMS_MAX) {
			mp_printk(log, "memprobe: warning: more than %u PCI option ROMs; the rest are not counted\n",
				  EFI_PCI_ROMS_MAX);
			break;
		}
		/* Only the report shows the place; a firmware's impossible one is named and cut to PCI's widths. */
		if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
			mp_printk(log, "memprobe: warning: PCI handle %lu gives the location %lx:%lx:%lx.%lx, which "
				       "no PCI function has; shown cut to PCI's field widths\n",
				  (unsigned long)i, (unsigned long)seg, (unsigned long)bus, (unsigned long)dev,
				  (unsigned long)fn);
		rom.segment = (uint16_t)seg;
		rom.bus = (uint8_t)bus;
		rom.device = (uint8_t)(dev & 0x1f);
		rom.function = (uint8_t)(fn & 7);
		rom.size = pci->RomSize;
		fw->efi.roms[fw->efi.nr_roms++] = rom;
	}
	efi_free_pool(handles, log);
}

/* The RSDP addresses from the configuration table (ACPI 2.0 and 1.0 GUIDs). */
void efi_collect_acpi(struct fw_inputs *fw)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;

	fw->acpi.map = map_physical;
	fw->acpi.ctx = &fw->memmap;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (!CompareGuid(&t->VendorGuid, &acpi20) && !fw->acpi.rsdp20)
			fw->acpi.rsdp20 = (UINTN)t->VendorTable;
		else if (!CompareGuid(&t->VendorGuid, &acpi10) && !fw->acpi.rsdp10)
			fw->acpi.rsdp10 = (UINTN)t->VendorTable;
	}
}
