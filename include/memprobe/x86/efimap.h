/* SPDX-License-Identifier: MIT */
/*
 * The UEFI memory map as raw firmware bytes, and what Linux 6.1 makes of
 * it: the EFI stub's conversion to e820 (libstub/x86-stub.c setup_e820)
 * and the kernel's efi_clean_memmap / efi_print_memmap lines.
 */
#ifndef MEMPROBE_X86_EFIMAP_H
#define MEMPROBE_X86_EFIMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/profile.h"
#include "memprobe/x86/e820.h"

enum efi_memory_type {
	EFI_RESERVED_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

#define EFI_ATTR_UC 0x1ULL
#define EFI_ATTR_WC 0x2ULL
#define EFI_ATTR_WT 0x4ULL
#define EFI_ATTR_WB 0x8ULL
#define EFI_ATTR_UCE 0x10ULL
#define EFI_ATTR_WP 0x1000ULL
#define EFI_ATTR_RP 0x2000ULL
#define EFI_ATTR_XP 0x4000ULL
#define EFI_ATTR_NV 0x8000ULL
#define EFI_ATTR_MORE_RELIABLE 0x10000ULL
#define EFI_ATTR_RO 0x20000ULL
#define EFI_ATTR_SP 0x40000ULL
#define EFI_ATTR_CPU_CRYPTO 0x80000ULL
#define EFI_ATTR_HOT_PLUGGABLE 0x100000ULL
#define EFI_ATTR_RUNTIME 0x8000000000000000ULL

#define EFI_PAGE_SHIFT 12
/* Size of EFI_MEMORY_DESCRIPTOR in the spec; firmware may use a larger stride. */
#define EFI_MEMORY_DESC_MIN_SIZE 40
/* Linux formats the type/attribute text into a 64-byte buffer. */
#define EFI_MD_TYPEATTR_BUF 64

/* The map exactly as GetMemoryMap returned it. */
struct efi_memmap {
	const uint8_t *map;
	uint64_t map_size;
	uint64_t desc_size;
	uint32_t desc_version;
};

/* One descriptor, decoded from the raw bytes. */
struct efi_md {
	uint32_t type;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

bool efi_memmap_usable(struct mp_log *log, const struct efi_memmap *m);
void efi_memmap_check_order(struct mp_log *log, const struct efi_memmap *m);
uint32_t efi_memmap_nr_desc(const struct efi_memmap *m);
void efi_memmap_desc(const struct efi_memmap *m, uint32_t i, struct efi_md *md);
void efi_memmap_desc_store(uint8_t *p, const struct efi_md *md);

uint32_t efi_stub_e820_type(const struct efi_md *md, bool soft_reserve);

/* Walks the e820 entries the EFI stub writes, in order, merged as it merges. */
struct efi_stub_e820_iter {
	const struct efi_memmap *map;
	bool soft_reserve;
	uint32_t next_desc;
	bool have_pending;
	struct e820_entry pending;
};

void efi_stub_e820_begin(struct efi_stub_e820_iter *it, const struct efi_memmap *m,
			 bool soft_reserve);
bool efi_stub_e820_next(struct efi_stub_e820_iter *it, struct e820_entry *out);

/*
 * Where the EFI stub places Debian's kernel without KASLR: at
 * LOAD_PHYSICAL_ADDR (KERNEL_LOAD_ADDR, profile.h) or, if that is taken, at
 * the lowest 2 MiB-aligned free range above.
 */
#define KERNEL_ALIGN 0x200000ULL

uint64_t efi_stub_kernel_addr(const struct efi_memmap *map, uint64_t image_size);

bool efi_memmap_covers(const struct efi_memmap *m, uint64_t phys, uint64_t len);
char *efi_md_typeattr_format(char *buf, unsigned size, const struct efi_md *md);
bool efi_md_typeattr_parse(const char *text, struct efi_md *md);
bool efi_memmap_next_valid(const struct efi_memmap *m, uint32_t *at, struct efi_md *md);
uint32_t efi_clean_memmap(struct mp_log *log, const struct efi_memmap *m);
void efi_print_memmap(struct mp_log *log, const struct efi_memmap *m);

#endif
