package dev.flat.replay;

import dev.flat.core.event.EventRecord;
import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The public test captures (/work/shared/corpus, beside the repository in CI too). */
final class Corpus {
    /** Tests run with the module directory (replay/) as working directory. */
    static final Path DIR = Path.of("..", "..", "shared", "corpus");

    private Corpus() {}

    static Path file(String name) {
        return DIR.resolve(name);
    }

    /** Every event of a capture, copied out of the reader's reused record. */
    static List<EventRecord> events(Path file, InputStats stats) throws IOException {
        List<EventRecord> events = new ArrayList<>();
        try (EventSource source = Inputs.open(file)) {
            source.drainTo(e -> events.add(copy(e)), stats);
        }
        return events;
    }

    static EventRecord copy(EventRecord e) {
        EventRecord c = new EventRecord().wrap(ByteBuffer.allocate(EventRecord.ENCODED_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN), 0);
        e.copyTo(c);
        return c;
    }

    /** {@code source} gzip-compressed into {@code dir}, named after it with ".gz". */
    static Path gzip(Path source, Path dir) throws IOException {
        Path gz = dir.resolve(source.getFileName() + ".gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            java.nio.file.Files.copy(source, out);
        }
        return gz;
    }

    static byte[] bytes(EventRecord e) {
        byte[] b = new byte[EventRecord.ENCODED_LENGTH];
        e.buffer().get(e.offset(), b, 0, b.length);
        return b;
    }
}
