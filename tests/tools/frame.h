/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test frame the traffic tools send: Ethernet/IPv4/UDP between two
 * addresses that exist only inside the guest, to a MAC that is no device's.
 */
#ifndef _TXQG_TEST_FRAME_H
#define _TXQG_TEST_FRAME_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t frame_csum(const void *buf, size_t len)
{
	const uint16_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline size_t build_frame(unsigned char *f, uint16_t sport)
{
	static const unsigned char dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const unsigned char src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	unsigned char *ip = f + 14, *udp = ip + 20;
	size_t payload = 18;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	*(uint16_t *)(ip + 2) = htons(20 + 8 + payload);
	ip[8] = 64;
	ip[9] = 17;
	*(uint32_t *)(ip + 12) = htonl(0x0a000001);	/* inside the guest only */
	*(uint32_t *)(ip + 16) = htonl(0x0a000002);
	*(uint16_t *)(ip + 10) = frame_csum(ip, 20);
	*(uint16_t *)(udp + 0) = htons(sport);
	*(uint16_t *)(udp + 2) = htons(9);
	*(uint16_t *)(udp + 4) = htons(8 + payload);
	*(uint16_t *)(udp + 6) = 0;
	memset(udp + 8, 0xab, payload);
	return 14 + 20 + 8 + payload;
}

#endif /* _TXQG_TEST_FRAME_H */
