/* SPDX-License-Identifier: MIT */
/*
 * The EFI system table's configuration tables and the PCI option ROMs, as
 * the firmware hands them over, and what Linux makes of them before the
 * zones: the "efi: ACPI=... SMBIOS=..." line and the memory attributes
 * table (drivers/firmware/efi/efi.c, memattr.c), the ESRT (esrt.c), the
 * MOKvar table (mokvar-table.c), the boot logo (efi-bgrt.c), each table
 * kept with efi_mem_reserve() (arch/x86/platform/efi/quirks.c), and the
 * EFI stub's copies of the option ROMs in setup_data (libstub/x86-stub.c).
 */
#ifndef MEMPROBE_X86_EFI_H
#define MEMPROBE_X86_EFI_H

#include <stdbool.h>
#include <stdint.h>

#define EFI_CONFIG_TABLES_MAX 64
#define EFI_PCI_ROMS_MAX 32
#define EFI_READS_MAX 32

/* One configuration table entry: a GUID and the address of its table. */
struct efi_config_table {
	uint8_t guid[16];	/* EFI_GUID as it lies in memory */
	uint64_t table;
};

/* A PCI function's option ROM as its PCI I/O protocol shows it: what Linux's EFI stub copies. */
struct efi_pci_rom {
	uint16_t segment;
	uint8_t bus, device, function;
	uint16_t vendor, devid;
	uint64_t size;		/* RomSize */
};

/* The firmware's configuration tables and option ROMs, raw, in the firmware's order. */
struct efi_tables {
	unsigned nr_config;
	struct efi_config_table config[EFI_CONFIG_TABLES_MAX];
	bool roms_known;	/* the front end asked (memprobe.efi does; --live cannot) */
	unsigned nr_roms;
	struct efi_pci_rom roms[EFI_PCI_ROMS_MAX];
};

/*
 * The bytes of EFI tables the stages read from memory (the memory
 * attributes table's header, the ESRT, the boot logo's BMP header, ...),
 * so a run folder can keep them for memprobe analyze (efi-read.txt).
 */
struct efi_reads {
	unsigned nr, dropped;
	struct {
		char name[5];	/* "matt", "mrsv", "esrt", "mokv", "bgrt": lower case, so no ACPI table's */
		uint64_t phys;
		uint32_t length;
	} r[EFI_READS_MAX];
};

/* A setup_data node of the EFI stub's (struct setup_data and what follows it). */
struct setup_data_node {
	uint32_t type;		/* SETUP_PCI, SETUP_E820_EXT */
	uint64_t addr;		/* 0 while the loader's choice is unknown */
	uint64_t size;		/* sizeof(struct setup_data) + len */
};

/* A range efi_mem_reserve() kept: a descriptor of its own in Linux's EFI map. */
struct efi_kept_range {
	uint64_t start, end;	/* whole pages */
};

#define EFI_KEPT_MAX 8

#define SETUP_E820_EXT 1
#define SETUP_PCI 3
#define SETUP_DATA_MAX (EFI_PCI_ROMS_MAX + 1)
#define PCI_SETUP_ROM_HEADER 64	/* sizeof(struct pci_setup_rom), the ROM's bytes follow */

/* What Linux's DMI scan gives the stages: the BIOS release date's year. */
struct dmi_info {
	bool known;		/* false: SMBIOS is there, but the input lacks its bytes */
	char bios_date[32];	/* "02/06/2015"; "" without one */
	int bios_year;		/* dmi_get_bios_year(): -1 without a year */
};

struct machine;
struct efi_md;
bool efi_memmap_pieces(const struct machine *m, const struct efi_md *md, uint64_t *at, struct efi_md *piece);
void efi_stub_setup_data(struct machine *m);
void e820__reserve_setup_data(struct machine *m);
void efi_config_parse_tables(struct machine *m);
void efi_esrt_init(struct machine *m);
void efi_mokvar_table_init(struct machine *m);
void efi_bgrt_init(struct machine *m);
void dmi_scan_machine(struct machine *m);
struct mp_log;
unsigned efi_reads_write(const struct machine *m, struct mp_log *dump);
const char *efi_config_table_name(const struct machine *m, const uint8_t *guid);

#define EFI_GUID_TEXT_SIZE 37
void efi_guid_text(char *text, const uint8_t *g);
#define EFI_PCI_LOCATION_TEXT_SIZE 13
void efi_pci_location_text(char *text, const struct efi_pci_rom *rom);

#endif
