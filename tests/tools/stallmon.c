// SPDX-License-Identifier: GPL-2.0
/*
 * stallmon: how long a guest CPU really ran during a measurement window.
 *
 * Under TCG the guest's clocks follow the host's, so while the host runs
 * other work instead of the vCPU thread the guest's time goes on and a rate
 * in frames per guest second falls with the host's load, not with the cost
 * of a frame. A real-time thread that asks to wake every period notices such
 * a stall as a late wake-up much longer than any the guest itself causes;
 * summing them gives the time the vCPU was away.
 *
 *   stallmon <counter-file> <seconds> [period-us [threshold-us]]
 * Reads the counter (e.g. a peer's rx_packets) at the start and at the end of
 * the window and prints one line:
 *   stallmon: frames F elapsed_us E stalled_us S stalls K wakeups W
 * S already counts, per stall, the half period by which a wake-up misses its
 * start on average. Run it pinned to the CPU it watches.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int read_counter(const char *path, unsigned long long *v)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return 0;
}

static long arg(const char *s, long min, long max, const char *what)
{
	char *e;
	long v = strtol(s, &e, 10);

	if (*e || v < min || v > max) {
		fprintf(stderr, "stallmon: %s must be %ld..%ld\n", what, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 50 };
	int64_t t0, end, next, t, late, period, thr, stalled = 0;
	unsigned long long c0, c1, stalls = 0, wakeups = 0;
	struct timespec ts;
	long secs;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: stallmon <counter-file> <seconds> [period-us [threshold-us]]\n");
		return 2;
	}
	secs = arg(argv[2], 1, 3600, "seconds");
	period = (argc > 3 ? arg(argv[3], 100, 100000, "period-us") : 1000) * 1000;
	thr = (argc > 4 ? arg(argv[4], 10, 100000, "threshold-us") : 300) * 1000;
	/* Above the traffic: a wake-up is late only while the vCPU itself is. */
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) {
		perror("stallmon: sched_setscheduler");
		return 1;
	}
	if (read_counter(argv[1], &c0) < 0) {
		perror("stallmon: read counter");
		return 1;
	}
	t0 = now_ns();
	end = t0 + secs * 1000000000LL;
	for (next = t0 + period; next < end; next += period) {
		ts.tv_sec = next / 1000000000;
		ts.tv_nsec = next % 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		t = now_ns();
		wakeups++;
		late = t - next;
		if (late > thr) {
			stalled += late + period / 2;
			stalls++;
			/* Skip the wake-ups that fell inside the stall. */
			next = t - (t - t0) % period;
		}
	}
	t = now_ns();
	if (read_counter(argv[1], &c1) < 0) {
		perror("stallmon: read counter");
		return 1;
	}
	printf("stallmon: frames %llu elapsed_us %lld stalled_us %lld stalls %llu wakeups %llu\n",
	       c1 - c0, (long long)(t - t0) / 1000, (long long)stalled / 1000, stalls, wakeups);
	return 0;
}
