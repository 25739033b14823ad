package dev.flat.bpf;

import dev.flat.core.event.EventRecord;
import dev.flat.core.event.EventSink;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The consumer side of a BPF ring buffer (kernel/bpf/ringbuf.c), over its memory mapping:
 *
 * <pre>
 * consumer page (RW)   u64 consumer_pos at 0
 * producer page (RO)   u64 producer_pos at 0
 * data (RO)            size bytes, mapped twice back to back, so a record that wraps around
 *                      the end is contiguous in the mapping
 * record               u32 len | BUSY (bit 31) | DISCARD (bit 30), u32 page offset, then len bytes;
 *                      the next record starts at the 8-byte-aligned end
 * </pre>
 *
 * Positions only grow; (pos &amp; (size − 1)) is the offset in data. producer_pos and each
 * record's len word are read with acquire semantics (the kernel publishes them with
 * smp_store_release), consumer_pos is written with release semantics so the kernel never reuses
 * space whose record is still being read, exactly as libbpf's ring_buffer__consume does.
 * Records are handed to the sink in place (no copy); consumer_pos moves past a record only
 * after the sink returns.
 */
final class RingConsumer {
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;
    static final int HEADER_LENGTH = 8;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer consumerPage;
    private final ByteBuffer producerPage;
    private final ByteBuffer data;
    private final long mask;
    private final EventRecord record = new EventRecord();
    private long badRecords;

    /**
     * @param data at least {@code size + max record} bytes of the doubly mapped data area
     * @param size the ring's data size, a power of two
     */
    RingConsumer(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + size);
        }
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        this.mask = size - 1L;
    }

    /** Whether a record is waiting (committed, busy or discarded). */
    boolean hasData() {
        return (long) LONG.getAcquire(consumerPage, 0) != (long) LONG.getAcquire(producerPage, 0);
    }

    /**
     * Hands every committed record up to the producer position read on entry to the sink, stops
     * at the first record still being written (BUSY), skips discarded ones.
     *
     * @return records handed to the sink
     */
    int drain(EventSink sink) {
        long consumerPos = (long) LONG.getAcquire(consumerPage, 0);
        long producerPos = (long) LONG.getAcquire(producerPage, 0);
        int handed = 0;
        while (consumerPos < producerPos) {
            int at = (int) (consumerPos & mask);
            int header = (int) INT.getAcquire(data, at);
            if ((header & BUSY_BIT) != 0) {
                break;
            }
            int length = header & ~(BUSY_BIT | DISCARD_BIT);
            consumerPos += (length + HEADER_LENGTH + 7) & ~7L;
            try {
                if ((header & DISCARD_BIT) == 0) {
                    if (isEvent(at + HEADER_LENGTH, length)) {
                        sink.onEvent(record.wrap(data, at + HEADER_LENGTH));
                        handed++;
                    } else {
                        badRecords++;
                    }
                }
            } finally {
                LONG.setRelease(consumerPage, 0, consumerPos);
            }
        }
        return handed;
    }

    private boolean isEvent(int offset, int length) {
        return length == EventRecord.ENCODED_LENGTH
                && data.get(offset + EventRecord.TYPE_OFFSET) == EventRecord.TYPE_PACKET
                && data.get(offset + EventRecord.VERSION_OFFSET) == EventRecord.VERSION;
    }

    /** Records skipped because their length, type or version is not a flat_event's. */
    long badRecords() {
        return badRecords;
    }
}
