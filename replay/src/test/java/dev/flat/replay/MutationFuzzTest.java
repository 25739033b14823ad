package dev.flat.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flat.core.input.EventSource;
import dev.flat.core.input.InputException;
import dev.flat.core.input.InputStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random damage to the small corpus files and the link-layer captures of testdata/encap: flipped and overwritten bytes, lengths forced
 * to extremes, truncation. Reading must end in a result or an {@link InputException}, never
 * another exception, never a hang, and every packet read must be an event or a counted skip.
 */
class MutationFuzzTest {
    private static final long SEED = 0x666C6174L; // "flat"
    private static final int MUTANTS_PER_FILE = 60;
    /** The two multi-megabyte captures add time, not coverage. */
    private static final long MAX_SOURCE_SIZE = 100_000;

    @TempDir
    Path dir;

    @Test
    void damagedCapturesFailCleanly() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Stream.concat(Files.list(Corpus.DIR), Files.list(Path.of(TsharkCrossCheckTest.ENCAP)))) {
            sources = files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .filter(p -> p.toFile().length() <= MAX_SOURCE_SIZE)
                    .sorted().collect(Collectors.toList());
        }
        Random random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (Path source : sources) {
                byte[] original = Files.readAllBytes(source);
                for (int m = 0; m < MUTANTS_PER_FILE; m++) {
                    byte[] mutant = mutate(original, random);
                    if (m % 10 == 9) {
                        mutant = gzip(mutant);
                    }
                    readMutant(mutant, source.getFileName() + " mutant " + m);
                }
            }
        });
    }

    private void readMutant(byte[] content, String what) throws IOException {
        Path f = dir.resolve("mutant");
        Files.write(f, content);
        InputStats stats = new InputStats();
        try (EventSource source = Inputs.open(f)) {
            source.drainTo(e -> { }, stats);
        } catch (InputException expected) {
            return;
        } catch (RuntimeException | IOException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        assertEquals(stats.packets(), stats.events() + stats.skippedTotal(), what);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
                default -> {
                    // Overwrite four bytes with an extreme 32-bit length in either byte order.
                    int[] extremes = {0, 1, 12, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x0004_0001, 0x0100_0000};
                    int v = extremes[random.nextInt(extremes.length)];
                    for (int k = 0; k < 4 && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (8 * k));
                    }
                }
            }
        }
        if (random.nextInt(4) == 0 && b.length > 1) {
            b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
        }
        return b;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        byte[] b = out.toByteArray();
        return b.length > 40 ? java.util.Arrays.copyOf(b, b.length - 5) : b; // a cut-short gzip stream too
    }
}
