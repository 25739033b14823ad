/*
 * walk_floor made as fast as a C program can walk a classic pcap file: the mapping is split
 * between THREADS threads (each half starts at a record boundary found by checking that a chain
 * of 16 records is plausible from there), and each thread issues software prefetches for the
 * eight cache lines 1-1.5 KiB ahead of the record it is reading, so the loads of later records
 * no longer wait one after another for memory. Java has no prefetch instruction (sun.misc.Unsafe
 * lost prefetchRead in JDK 9), so this is a floor under any program, not one a JVM can reach.
 * See docs/performance.md ("The floor").
 *
 *   cc -O2 -pthread -o walk_parallel_floor walk_parallel_floor.c && ./walk_parallel_floor FILE [THREADS]
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_HEADER 24
#define RECORD_HEADER 16
#define MAX_THREADS 16
#define MAX_CAPLEN 262144u

static const uint8_t *file;
static size_t size;

static uint32_t u32(size_t off)
{
	uint32_t v;
	memcpy(&v, file + off, 4);
	return v;
}

/* A record boundary: 16 records in a row with sane times and lengths (or the file's end). */
static int plausible(size_t off, uint32_t first_second)
{
	for (int i = 0; i < 16; i++) {
		if (off + RECORD_HEADER > size)
			return off == size;
		uint32_t sec = u32(off), frac = u32(off + 4), caplen = u32(off + 8), len = u32(off + 12);
		if (sec < first_second || sec > first_second + 30u * 86400 || frac >= 1000000000u
		    || caplen > MAX_CAPLEN || caplen > len)
			return 0;
		off += RECORD_HEADER + caplen;
	}
	return 1;
}

struct part {
	size_t from, to;
	unsigned long long records, sum;
};

static void *walk(void *arg)
{
	struct part *part = arg;
	size_t off = part->from;
	unsigned long long records = 0, sum = 0;
	while (off + RECORD_HEADER <= part->to) {
		for (int line = 0; line < 8; line++)
			__builtin_prefetch(file + off + 1024 + 64 * line);
		uint32_t caplen = u32(off + 8);
		if (caplen >= 34 && off + RECORD_HEADER + caplen <= size)
			sum += file[off + RECORD_HEADER + 23] ^ file[off + RECORD_HEADER + 33];
		records++;
		off += RECORD_HEADER + (size_t)caplen;
	}
	part->records = records;
	part->sum = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FILE [THREADS]\n", argv[0]);
		return 2;
	}
	int threads = argc == 3 ? atoi(argv[2]) : 2;
	if (threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "threads: 1..%d\n", MAX_THREADS);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	size = st.st_size;
	file = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (size < FILE_HEADER + RECORD_HEADER || (u32(0) != 0xa1b2c3d4 && u32(0) != 0xa1b23c4d)) {
		fprintf(stderr, "%s: not a little-endian classic pcap file\n", argv[1]);
		return 1;
	}
	uint32_t first_second = u32(FILE_HEADER);
	struct part parts[MAX_THREADS];
	pthread_t ids[MAX_THREADS];
	size_t start = FILE_HEADER;
	for (int i = 0; i < threads; i++) {
		size_t end = size;
		if (i + 1 < threads) {
			end = size / threads * (i + 1);
			while (end < size && (end < start || !plausible(end, first_second)))
				end++;
		}
		parts[i] = (struct part){ .from = start, .to = end };
		start = end;
	}
	for (int i = 0; i < threads; i++)
		pthread_create(&ids[i], NULL, walk, &parts[i]);
	unsigned long long records = 0, sum = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(ids[i], NULL);
		records += parts[i].records;
		sum += parts[i].sum;
	}
	printf("%llu records (checksum %llu) in %d threads\n", records, sum, threads);
	return 0;
}
