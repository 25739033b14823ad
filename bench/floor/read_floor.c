/*
 * The cheapest way to get a capture's bytes into a process: read(2) into one 1 MiB buffer,
 * touching nothing. The kernel's copy out of the page cache is the whole cost, so this is the
 * floor under any reader that, like flat's ChannelInput and tcpdump's libpcap, reads the file
 * rather than mapping it. See docs/performance.md ("The floor").
 *
 *   cc -O2 -o read_floor read_floor.c && ./read_floor FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	size_t size = 1 << 20;
	char *buf = malloc(size);
	long long total = 0;
	ssize_t n;
	while ((n = read(fd, buf, size)) > 0)
		total += n;
	if (n < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%lld bytes\n", total);
	return 0;
}
