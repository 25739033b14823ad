package dev.flat.bench;

import java.io.Closeable;
import java.io.IOException;

/** Writes Ethernet frames into a capture file format. */
public interface CaptureWriter extends Closeable {
    /**
     * Appends one frame (the first length bytes of frame) captured at tsNs (ns since the Unix
     * epoch). outbound: sent by the capturing host (pcapng records it, classic pcap cannot).
     */
    void write(long tsNs, byte[] frame, int length, boolean outbound) throws IOException;
}
