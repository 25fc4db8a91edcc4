// SPDX-License-Identifier: GPL-2.0
/*
 * tapflood: writes Ethernet/IPv4/UDP frames into an existing tap device for a
 * bounded time. tun records rx queue 0 on every frame it receives, which is
 * what makes a frame hazardous to a transmit-queue pick on a dying device.
 *
 *   tapflood [-p] <ifname> <seconds> [pps]    (pps 0: as fast as possible)
 * With -p the frames are sent on <ifname> (a veth, say) through an AF_PACKET
 * socket instead: a single-queue device's pick leaves no recorded queue on
 * them, so its peer receives frames that no pick can spin on.
 * Prints "tapflood: sent N frames" at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SIGTERM or SIGINT end the flood early, still reporting what was sent. */
static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int open_tap(const char *name)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0) {
		perror("tapflood: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tapflood: TUNSETIFF");
		close(fd);
		return -1;
	}
	return fd;
}

/* Bound to the device, so write() sends one whole frame on it. */
static int open_packet(const char *name)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	struct ifreq ifr;

	if (fd < 0) {
		perror("tapflood: AF_PACKET socket");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) == 0)
		sll.sll_ifindex = ifr.ifr_ifindex;
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("tapflood: bind to the interface");
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned char frame[128];
	unsigned long long sent = 0;
	double end, gap;
	char *e1, *e2 = NULL;
	long secs, pps = 0;
	int fd, packet = 0;

	if (argc > 1 && !strcmp(argv[1], "-p")) {
		packet = 1;
		argv++;
		argc--;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: tapflood [-p] <ifname> <seconds> [pps]\n");
		return 2;
	}
	secs = strtol(argv[2], &e1, 10);
	if (argc == 4)
		pps = strtol(argv[3], &e2, 10);
	if (*e1 || secs <= 0 || secs > 3600 || (e2 && (*e2 || pps < 0))) {
		fprintf(stderr, "tapflood: seconds must be 1..3600 and pps >= 0\n");
		return 2;
	}
	if (strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "tapflood: interface name too long\n");
		return 2;
	}
	fd = packet ? open_packet(argv[1]) : open_tap(argv[1]);
	if (fd < 0)
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	gap = pps ? 1.0 / pps : 0;
	end = now() + secs;
	for (double next = now(); !stop && now() < end;) {
		size_t len = build_frame(frame, 1024 + (sent & 0x3fff));

		/* A tap that is down (EIO), a full queue, a device going away. */
		if (write(fd, frame, len) < 0 && errno != EAGAIN && errno != EIO &&
		    errno != ENOBUFS && errno != ENETDOWN && errno != ENXIO) {
			perror("tapflood: write");
			return 1;
		}
		sent++;
		if (gap) {
			next += gap;
			while (now() < next)
				usleep(50);
		}
	}
	printf("tapflood: sent %llu frames\n", sent);
	return 0;
}
