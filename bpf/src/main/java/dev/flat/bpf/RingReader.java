package dev.flat.bpf;

import com.kenai.jffi.MemoryIO;
import dev.flat.core.event.EventSink;
import java.nio.ByteBuffer;
import jnr.ffi.Pointer;

/**
 * Reads the probe's ring buffer from Java: maps it (see {@link RingConsumer} for the layout) and
 * sleeps in epoll until the kernel signals data. An eventfd in the same epoll set lets
 * {@link #wakeup()} interrupt a wait from another thread (close from a shutdown hook).
 *
 * <p>Not thread-safe: one thread polls; {@link #wakeup()} is the only call allowed concurrently.
 */
final class RingReader implements AutoCloseable {
    private final Native n;
    private final int pageSize;
    private final int size;
    private Pointer consumerMapping;
    private Pointer producerMapping;
    private final long producerMappingLength;
    private final RingConsumer consumer;
    private final int epollFd;
    private final int wakeupFd;
    private final Pointer epollEvents;
    private final Pointer wakeupValue;
    private boolean closed;

    private RingReader(Native n, int pageSize, int size, Pointer consumerMapping, Pointer producerMapping,
                       long producerMappingLength, int epollFd, int wakeupFd) {
        this.n = n;
        this.pageSize = pageSize;
        this.size = size;
        this.consumerMapping = consumerMapping;
        this.producerMapping = producerMapping;
        this.producerMappingLength = producerMappingLength;
        this.epollFd = epollFd;
        this.wakeupFd = wakeupFd;
        this.epollEvents = n.allocate(LibC.EPOLL_EVENT_MAX_SIZE);
        this.wakeupValue = n.allocate(Long.BYTES);
        MemoryIO io = MemoryIO.getInstance();
        ByteBuffer consumerPage = io.newDirectByteBuffer(consumerMapping.address(), pageSize);
        ByteBuffer producerPage = io.newDirectByteBuffer(producerMapping.address(), pageSize);
        // The data area is mapped twice; one size plus a page is all a record can span.
        ByteBuffer data = io.newDirectByteBuffer(producerMapping.address() + pageSize, size + pageSize);
        this.consumer = new RingConsumer(consumerPage, producerPage, data, size);
    }

    /** Maps the ring of the given BPF_MAP_TYPE_RINGBUF map fd, of {@code size} data bytes. */
    static RingReader open(Native n, int ringFd, int size) throws LiveCaptureException {
        int pageSize = n.libc.getpagesize();
        Pointer consumer = mmap(n, pageSize, LibC.PROT_READ | LibC.PROT_WRITE, ringFd, 0, "consumer page");
        long producerLength = pageSize + 2L * size;
        Pointer producer;
        try {
            producer = mmap(n, producerLength, LibC.PROT_READ, ringFd, pageSize, "producer pages");
        } catch (LiveCaptureException e) {
            n.libc.munmap(consumer, pageSize);
            throw e;
        }
        int epollFd = -1;
        int wakeupFd = -1;
        try {
            epollFd = n.libc.epoll_create1(LibC.EPOLL_CLOEXEC);
            if (epollFd < 0) {
                throw LiveCaptureException.of(n, "epoll_create1", n.lastErrno());
            }
            wakeupFd = n.libc.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (wakeupFd < 0) {
                throw LiveCaptureException.of(n, "eventfd", n.lastErrno());
            }
            watch(n, epollFd, ringFd, "ring buffer");
            watch(n, epollFd, wakeupFd, "eventfd");
            return new RingReader(n, pageSize, size, consumer, producer, producerLength, epollFd, wakeupFd);
        } catch (LiveCaptureException e) {
            if (wakeupFd >= 0) {
                n.libc.close(wakeupFd);
            }
            if (epollFd >= 0) {
                n.libc.close(epollFd);
            }
            n.libc.munmap(producer, producerLength);
            n.libc.munmap(consumer, pageSize);
            throw e;
        }
    }

    private static Pointer mmap(Native n, long length, int prot, int fd, long offset, String what) throws LiveCaptureException {
        Pointer p = n.libc.mmap(null, length, prot, LibC.MAP_SHARED, fd, offset);
        if (p == null || p.address() == -1L) {
            throw LiveCaptureException.of(n, "mmap ring buffer " + what, n.lastErrno());
        }
        return p;
    }

    private static void watch(Native n, int epollFd, int fd, String what) throws LiveCaptureException {
        Pointer event = n.allocate(LibC.EPOLL_EVENT_MAX_SIZE);
        event.putInt(0, LibC.EPOLLIN);
        if (n.libc.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event) < 0) {
            throw LiveCaptureException.of(n, "epoll_ctl add " + what, n.lastErrno());
        }
    }

    /**
     * Hands available records to the sink; when there are none, waits up to timeoutMs for the
     * kernel's notification (or a {@link #wakeup()}) and drains again.
     */
    int poll(EventSink sink, int timeoutMs) throws LiveCaptureException {
        int handed = consumer.drain(sink);
        if (handed > 0 || consumer.hasData() || timeoutMs == 0) {
            return handed;
        }
        int ready = n.libc.epoll_wait(epollFd, epollEvents, 1, timeoutMs);
        if (ready < 0) {
            int errno = n.lastErrno();
            if (errno != Native.EINTR) {
                throw LiveCaptureException.of(n, "epoll_wait on the ring buffer", errno);
            }
        }
        // Clear a pending wakeup so the next wait sleeps again (non-blocking: EAGAIN when none).
        n.libc.read(wakeupFd, wakeupValue, Long.BYTES);
        return consumer.drain(sink);
    }

    /** Makes a concurrent {@link #poll} return promptly. Safe from any thread until close. */
    void wakeup() {
        Pointer one = n.allocate(Long.BYTES);
        one.putLong(0, 1L);
        n.libc.write(wakeupFd, one, Long.BYTES);
    }

    long badRecords() {
        return consumer.badRecords();
    }

    int size() {
        return size;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        n.libc.close(wakeupFd);
        n.libc.close(epollFd);
        n.libc.munmap(producerMapping, producerMappingLength);
        n.libc.munmap(consumerMapping, pageSize);
        producerMapping = null;
        consumerMapping = null;
    }
}
