/*
 * The cheapest walk over a classic pcap file: map it, follow each record's captured length to
 * the next record and read two header bytes of every frame (so that the frames' first cache
 * lines are loaded, as any parser must), nothing else. No copy by the kernel, no parsing: what
 * is left is the memory traffic of visiting every record of a file larger than any cache. See
 * docs/performance.md ("The floor").
 *
 *   cc -O2 -o walk_floor walk_floor.c && ./walk_floor FILE
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_HEADER 24
#define RECORD_HEADER 16

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	size_t size = st.st_size;
	const uint8_t *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	uint32_t magic;
	if (size < FILE_HEADER || (memcpy(&magic, p, 4), magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)) {
		fprintf(stderr, "%s: not a little-endian classic pcap file\n", argv[1]);
		return 1;
	}
	size_t off = FILE_HEADER;
	unsigned long long records = 0, sum = 0;
	while (off + RECORD_HEADER <= size) {
		uint32_t caplen;
		memcpy(&caplen, p + off + 8, 4);
		if (caplen >= 34 && off + RECORD_HEADER + caplen <= size)
			sum += p[off + RECORD_HEADER + 23] ^ p[off + RECORD_HEADER + 33]; /* IPv4 protocol, a TCP/UDP port byte */
		records++;
		off += RECORD_HEADER + (size_t)caplen;
	}
	printf("%llu records (checksum %llu)\n", records, sum);
	return 0;
}
