// SPDX-License-Identifier: GPL-2.0
/*
 * pktflood: sends Ethernet/IPv4/UDP frames as fast as it can until it has
 * had the CPU for a given time, and says what one frame cost.
 *
 *   pktflood [-t] <ifname> <seconds>
 *
 * Without -t the frames go out on <ifname> through an AF_PACKET socket. With
 * no PACKET_QDISC_BYPASS each one takes dev_queue_xmit(), the ordinary
 * transmit of a host's own traffic; the bypass would skip the queue pick.
 * With -t, <ifname> is an existing tap and the frames are written into it, so
 * they arrive as received frames with tun's rx queue recorded.
 *
 * Each frame is sent in one system call, in which the device's peer (a veth
 * peer, or whatever the tap feeds) also receives it, so the time between two
 * sends is what one frame costs. Under TCG the guest's clock follows the
 * host's: while the host runs something else instead of the vCPU, or beside
 * it on the same core, a gap grows by however long that took. So the cost of
 * a frame is taken as the mean of the gaps up to four times the median gap,
 * and the longer ones (a few percent: host preemptions, the guest's own timer
 * ticks and deferred work, which weigh alike with and without a guard) are
 * left out. It stops after <seconds> of gaps shorter than half a millisecond,
 * or twenty times that in all, and prints:
 *   pktflood: sent N frames elapsed_us E frame_ns F median_ns M left_out L
 * F the trimmed mean, L the share of gaps left out of it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int open_tap(const char *name)
{
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0) {
		perror("pktflood: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("pktflood: TUNSETIFF");
		close(fd);
		return -1;
	}
	return fd;
}

/* Gaps in buckets of BUCKET_NS up to NR_BUCKETS; longer ones share the last. */
#define BUCKET_NS 50
#define NR_BUCKETS 40000
#define TRIM 4
/* A gap this long is the host's, not a frame's: it does not count towards <seconds>. */
#define STALL_NS 500000

static unsigned long long bucket_n[NR_BUCKETS + 1];
static unsigned long long bucket_ns[NR_BUCKETS + 1];

static void note_gap(int64_t gap)
{
	int64_t b = gap / BUCKET_NS;

	if (b > NR_BUCKETS)
		b = NR_BUCKETS;
	bucket_n[b]++;
	bucket_ns[b] += gap;
}

/* The trimmed mean, the median and the share left out, from the buckets. */
static void frame_cost(double *mean, int64_t *median, double *left_out)
{
	unsigned long long n = 0, seen = 0, kept = 0, kept_ns = 0;
	int64_t b, limit;

	for (b = 0; b <= NR_BUCKETS; b++)
		n += bucket_n[b];
	*median = 0;
	for (b = 0; b <= NR_BUCKETS; b++) {
		seen += bucket_n[b];
		if (seen * 2 >= n) {
			*median = b * BUCKET_NS + BUCKET_NS / 2;
			break;
		}
	}
	limit = TRIM * *median;
	for (b = 0; b < NR_BUCKETS && b * BUCKET_NS < limit; b++) {
		kept += bucket_n[b];
		kept_ns += bucket_ns[b];
	}
	*mean = kept ? (double)kept_ns / kept : 0;
	*left_out = n ? (double)(n - kept) / n : 0;
}

int main(int argc, char **argv)
{
	int64_t start, end, prev, t, gap, want, median, work = 0;
	unsigned long long sent = 0;
	unsigned char frame[128];
	double mean, left_out;
	struct sockaddr_ll sll;
	int tap = 0, fd, i = 1;
	ssize_t r;
	size_t len;
	long secs;
	char *e;

	if (argc > 1 && !strcmp(argv[1], "-t")) {
		tap = 1;
		i++;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: pktflood [-t] <ifname> <seconds>\n");
		return 2;
	}
	secs = strtol(argv[i + 1], &e, 10);
	if (*e || secs <= 0 || secs > 3600) {
		fprintf(stderr, "pktflood: seconds must be 1..3600\n");
		return 2;
	}
	if (strlen(argv[i]) >= IFNAMSIZ) {
		fprintf(stderr, "pktflood: interface name too long\n");
		return 2;
	}
	memset(&sll, 0, sizeof(sll));
	if (tap) {
		fd = open_tap(argv[i]);
		if (fd < 0)
			return 1;
	} else {
		sll.sll_family = AF_PACKET;
		sll.sll_protocol = htons(ETH_P_IP);
		sll.sll_ifindex = if_nametoindex(argv[i]);
		if (!sll.sll_ifindex) {
			perror("pktflood: if_nametoindex");
			return 1;
		}
		/*
		 * Protocol 0 and no bind: no receive hook, so our own frames
		 * (outgoing frames are mirrored to matching packet sockets)
		 * are not queued back to us.
		 */
		fd = socket(AF_PACKET, SOCK_RAW, 0);
		if (fd < 0) {
			perror("pktflood: socket");
			return 1;
		}
	}
	len = build_frame(frame, 0);
	want = secs * 1000000000LL;
	start = prev = now_ns();
	end = start + 20 * want;
	for (;;) {
		/* Many flows, as a host's traffic would be: the pick hashes them apart. */
		frame_set_sport(frame, 1024 + (sent & 0x3fff));
		if (tap)
			r = write(fd, frame, len);
		else
			r = sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll));
		/* The device or its peer was full (or the tap down): the frame is lost. */
		if (r < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EIO) {
			perror("pktflood: send");
			return 1;
		}
		sent++;
		t = now_ns();
		gap = t - prev;
		prev = t;
		note_gap(gap);
		if (gap < STALL_NS)
			work += gap;
		if (work >= want || t >= end)
			break;
	}
	frame_cost(&mean, &median, &left_out);
	printf("pktflood: sent %llu frames elapsed_us %lld frame_ns %.1f median_ns %lld left_out %.4f\n",
	       sent, (long long)(prev - start) / 1000, mean, (long long)median, left_out);
	return 0;
}
