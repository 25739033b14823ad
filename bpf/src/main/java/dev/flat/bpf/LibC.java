package dev.flat.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls flat needs around libbpf: memory mapping, epoll, clocks, limits, netlink.
 * Public only because jnr-ffi generates its implementation in another class loader; not API.
 */
public interface LibC {
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x01;

    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 0x001;
    /** struct epoll_event is 12 bytes (packed) on x86-64 and 16 on arm64: size buffers for 16. */
    int EPOLL_EVENT_MAX_SIZE = 16;

    int EFD_CLOEXEC = 0x80000;
    int EFD_NONBLOCK = 0x800;

    int CLOCK_REALTIME = 0;
    int CLOCK_MONOTONIC = 1;

    int RLIMIT_MEMLOCK = 8;
    long RLIM_INFINITY = -1L;

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;

    int getpagesize();

    Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);
    int munmap(Pointer addr, @size_t long length);

    int epoll_create1(int flags);
    int epoll_ctl(int epfd, int op, int fd, Pointer event);
    int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);
    int eventfd(int initval, int flags);

    @ssize_t long read(int fd, Pointer buf, @size_t long count);
    @ssize_t long write(int fd, Pointer buf, @size_t long count);
    int close(int fd);

    int setrlimit(int resource, Pointer rlimit);
    int clock_gettime(int clock, Pointer timespec);

    int vsnprintf(Pointer buf, @size_t long size, Pointer format, Pointer vaList);
    /** glibc ≥ 2.32: "EPERM" for EPERM; NULL for unknown numbers. */
    String strerrorname_np(int errnum);

    int socket(int domain, int type, int protocol);
    @ssize_t long send(int fd, Pointer buf, @size_t long len, int flags);
    @ssize_t long recv(int fd, Pointer buf, @size_t long len, int flags);
}
