package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flat.core.event.EventSink;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import dev.flat.core.input.InterfaceNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** A source half-way through 64 MiB. */
    private static final EventSource HALF_READ = new EventSource() {
        @Override public void drainTo(EventSink sink, InputStats stats) { }
        @Override public InterfaceNames interfaces() { return new InterfaceNames(); }
        @Override public long position() { return 32L << 20; }
        @Override public long size() { return 64L << 20; }
        @Override public void close() { }
    };

    @Test
    void drawsBytesReadOfSizeAndErasesItselfOnClose() throws InterruptedException {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text);
        ProgressBar bar = new ProgressBar(err, HALF_READ, "big.pcap", 0);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (text.toString().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        bar.close();
        String s = text.toString();
        assertTrue(s.startsWith("\rbig.pcap [###############               ]  50% 32.0 MiB / 64.0 MiB"), s);
        assertTrue(s.endsWith(" \r"), "the last thing written clears the line");
    }

    @Test
    void noBarWithoutATerminalOrWhenRefused() {
        // Tests run without a console (System.console() == null), as when stderr is redirected.
        assertNull(ProgressBar.startIfUseful(new PrintWriter(new StringWriter()), HALF_READ, "x", false));
        assertNull(ProgressBar.startIfUseful(new PrintWriter(new StringWriter()), HALF_READ, "x", true));
    }
}
