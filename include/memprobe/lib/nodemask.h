/* SPDX-License-Identifier: MIT */
/* Node numbers and node masks (Linux's nodemask_t as a byte array). */
#ifndef MEMPROBE_LIB_NODEMASK_H
#define MEMPROBE_LIB_NODEMASK_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_NUMNODES 1024	/* Debian's CONFIG_NODES_SHIFT=10 */
#define NUMA_NO_NODE (-1)
#define NODEMASK_BYTES (MAX_NUMNODES / 8)

static inline bool node_isset(const uint8_t *mask, int node)
{
	return node >= 0 && node < MAX_NUMNODES && (mask[node / 8] >> (node % 8)) & 1;
}

static inline void node_set(uint8_t *mask, int node)
{
	if (node >= 0 && node < MAX_NUMNODES)
		mask[node / 8] |= (uint8_t)(1u << (node % 8));
}

static inline void node_clear(uint8_t *mask, int node)
{
	if (node >= 0 && node < MAX_NUMNODES)
		mask[node / 8] &= (uint8_t)~(1u << (node % 8));
}

/**
 * next_node() - the first node of a mask after node n (Linux's next_node)
 * @n: a node, or -1 for the first
 * @mask: the mask
 *
 * Masks of 1,024 nodes are walked per fake node and per node shown, so
 * the walk passes 64 nodes a step: on x86 (little-endian) the eight bytes
 * from byte 8k hold nodes 64k to 64k + 63 in bit order.
 * Return: that node, MAX_NUMNODES if there is none.
 */
static inline int next_node(int n, const uint8_t *mask)
{
	for (n++; n < MAX_NUMNODES; n = (n | 63) + 1) {
		uint64_t word;

		__builtin_memcpy(&word, mask + n / 64 * 8, sizeof(word));
		word >>= n % 64;
		if (word)
			return n + __builtin_ctzll(word);
	}
	return MAX_NUMNODES;
}

#define first_node(mask) next_node(-1, (mask))
#define for_each_node_mask(node, mask) \
	for ((node) = first_node(mask); (node) < MAX_NUMNODES; (node) = next_node((node), (mask)))

/* nodes_weight(): how many nodes a mask holds. */
static inline int nodes_weight(const uint8_t *mask)
{
	int weight = 0;

	for (int i = 0; i < NODEMASK_BYTES; i++)
		for (unsigned byte = mask[i]; byte; byte &= byte - 1)
			weight++;
	return weight;
}

static inline bool nodes_empty(const uint8_t *mask)
{
	return first_node(mask) == MAX_NUMNODES;
}

#endif
