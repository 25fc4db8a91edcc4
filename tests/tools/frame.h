/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test frame the traffic tools send and txqguardctl verify writes into its tap:
 * Ethernet/IPv4/UDP between two addresses that exist only inside the guest (or verify's
 * private namespace), to a MAC that is no device's.
 *
 * The one builder for both: plain C that C++ also compiles (ctl/src/core/frames.cc wraps it),
 * and the tools are built statically for other architectures, so fields are stored byte by
 * byte in network order rather than through host-order stores into the buffer.
 */
#ifndef _TXQG_TEST_FRAME_H
#define _TXQG_TEST_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 14 + 20 + 8 + 18: the Ethernet minimum without the FCS. */
#define TEST_FRAME_PAYLOAD 18
#define TEST_FRAME_LEN (14 + 20 + 8 + TEST_FRAME_PAYLOAD)

static inline void frame_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* RFC 1071's ones'-complement sum of big-endian words, as the IPv4 header carries it. */
static inline uint16_t frame_csum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A sender that varies the flow patches a built frame in place (the UDP checksum is 0). */
static inline void frame_set_sport(unsigned char *f, uint16_t sport)
{
	frame_put16(f + 14 + 20, sport);
}

/* Writes TEST_FRAME_LEN bytes to f and returns that length. */
static inline size_t build_frame(unsigned char *f, uint16_t sport)
{
	static const unsigned char dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const unsigned char src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const unsigned char saddr[4] = { 10, 0, 0, 1 }, daddr[4] = { 10, 0, 0, 2 };
	unsigned char *ip = f + 14, *udp = ip + 20;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	frame_put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	frame_put16(ip + 2, 20 + 8 + TEST_FRAME_PAYLOAD);
	ip[8] = 64;
	ip[9] = 17;	/* UDP */
	memcpy(ip + 12, saddr, 4);
	memcpy(ip + 16, daddr, 4);
	frame_put16(ip + 10, frame_csum(ip, 20));
	frame_set_sport(f, sport);
	frame_put16(udp + 2, 9);	/* discard */
	frame_put16(udp + 4, 8 + TEST_FRAME_PAYLOAD);
	frame_put16(udp + 6, 0);
	memset(udp + 8, 0xab, TEST_FRAME_PAYLOAD);
	return TEST_FRAME_LEN;
}

#endif /* _TXQG_TEST_FRAME_H */
