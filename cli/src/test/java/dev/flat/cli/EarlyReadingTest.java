package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading of a large capture started before the command line is parsed: adopted only when
 * the command reads that file first, and then giving the report an ordinary run gives.
 */
class EarlyReadingTest {
    @TempDir
    static Path dir;
    /** Twice {@link ReaderThread#MIN_BYTES}: large enough to be read early. */
    static Path large;
    static Path otherLarge;
    static Path small;

    @BeforeAll
    static void captures() throws IOException {
        RepeatedLab lab = RepeatedLab.load();
        int copies = (int) (2 * ReaderThread.MIN_BYTES / Files.size(Path.of("..", "testdata", "lab", "lab.pcap"))) + 1;
        large = lab.write(dir.resolve("large.pcap"), copies, false);
        otherLarge = lab.write(dir.resolve("other-large.pcap"), copies + 3, false);
        small = lab.write(dir.resolve("small.pcap"), 2, false);
    }

    @AfterEach
    void noReaderLeft() {
        EarlyReading.abandonUntaken();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("flat-reader") && t.isAlive()), "a reader thread still runs");
    }

    /** As Main.main runs flat: the early reading first, then the command line. */
    private static Cli runAsMain(String... args) {
        EarlyReading.startIfLikely(args);
        try {
            return Cli.run(args);
        } finally {
            EarlyReading.abandonUntaken();
        }
    }

    private static Path guess(String... args) {
        return EarlyReading.likelyFirstFile(args, ReaderThread.MIN_BYTES);
    }

    @Test
    void theGuessIsTheFirstExistingRegularFileAfterAnalyzeWhenItIsLarge() {
        String l = large.toString();
        String o = otherLarge.toString();
        assertEquals(large, guess("analyze", l));
        assertEquals(large, guess("analyze", "--format", "csv", "--no-progress", l, o));
        assertEquals(large, guess("analyze", "-o", o, l), "the report's file is not read");
        assertEquals(large, guess("analyze", "--output", o, "--top", "3", l));
        assertEquals(large, guess("analyze", "--", l));
        assertEquals(large, guess("analyze", dir.toString(), dir.resolve("missing.pcap").toString(), l),
                "a directory and a missing file are no guess (the command reports them)");
        assertNull(guess("analyze", small.toString(), l), "the first file is small: read on the main thread");
        assertNull(guess("analyze", "--format", "csv"));
        assertNull(guess("analyze"));
        assertNull(guess("record", "-i", "lo", "-o", l));
        assertNull(guess("monitor", l));
        assertNull(guess(l));
    }

    @Test
    void anAdoptedReadingGivesTheReportOfAnOrdinaryRun() {
        for (String format : new String[] {"text", "csv", "json"}) {
            String[] args = {"analyze", "--no-progress", "--format", format, large.toString(), otherLarge.toString()};
            Cli ordinary = Cli.run(args);
            EarlyReading early = EarlyReading.startIfLikely(args);
            assertNotNull(early);
            Cli run = Cli.run(args);
            EarlyReading.abandonUntaken();
            assertTrue(early.taken(), "the command adopted the reading");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(ordinary.out(), run.out(), format);
            assertEquals(ordinary.err(), run.err());
        }
    }

    @Test
    void aReadingOfAnotherFileIsAbandonedAndTheCommandReadsItsOwn() {
        EarlyReading early = EarlyReading.startIfLikely(new String[] {"analyze", otherLarge.toString()});
        assertNotNull(early);
        Cli run = Cli.analyze("--format", "csv", large.toString());
        assertFalse(early.taken());
        assertEquals(Cli.analyze("--format", "csv", large.toString()), run);
    }

    @Test
    void aReadingOfTheReportsFileIsNotAdopted() throws IOException {
        byte[] before = Files.readAllBytes(large);
        EarlyReading early = EarlyReading.startIfLikely(new String[] {"analyze", large.toString()});
        assertNotNull(early);
        assertNull(EarlyReading.take(large, dir.resolve(".").resolve(large.getFileName())));
        assertFalse(early.taken());
        assertTrue(Arrays.equals(before, Files.readAllBytes(large)));
    }

    @Test
    void aLargeFileThatIsNoCaptureIsReportedAsInAnOrdinaryRun() throws IOException {
        Path garbage = dir.resolve("garbage.pcap");
        Files.write(garbage, new byte[(int) ReaderThread.MIN_BYTES + 1]);
        String[] args = {"analyze", "--no-progress", garbage.toString()};
        Cli ordinary = Cli.run(args);
        assertEquals(ExitCode.INPUT, ordinary.exitCode());
        assertEquals(ordinary, runAsMain(args));
    }

    @Test
    void aUsageErrorOrHelpAbandonsTheReading() {
        Cli usage = runAsMain("analyze", "--no-such-option", large.toString());
        assertEquals(ExitCode.USAGE, usage.exitCode());
        assertEquals(Cli.run("analyze", "--no-such-option", large.toString()), usage);
        Cli help = runAsMain("analyze", "--help", large.toString());
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Usage: flat analyze"), help.out());
    }
}
