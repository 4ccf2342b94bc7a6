/* SPDX-License-Identifier: MIT */
/* pci_mmcfg_early_init(): the MCFG's ECAM regions as pci_arch_init takes them. */
#ifndef MEMPROBE_X86_MMCONFIG_H
#define MEMPROBE_X86_MMCONFIG_H

struct machine;
void pci_mmcfg_early_init(struct machine *m);

#endif
