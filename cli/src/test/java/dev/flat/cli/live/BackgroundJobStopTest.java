package dev.flat.cli.live;

import static dev.flat.cli.live.Lab.CLIENT_IF;
import static dev.flat.cli.live.Lab.CLIENT_NS;
import static dev.flat.cli.live.Lab.SERVER_V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 8 §3: {@code flat record} and {@code flat monitor} started as a background job of a
 * script, {@code setsid ip netns exec NS flat ... &}, stop on {@code kill -INT -- -PID} (and
 * -TERM) as tcpdump does. Such a job inherits SIGINT as ignored (POSIX shells ignore it in
 * asynchronous lists when job control is off), which the JVM alone keeps: before the fix flat
 * went on recording for hours. Each run checks that the situation is really the inherited one (a
 * {@code sleep} started the same way shows SIGINT in its ignored mask), that flat stops within 1
 * s, leaves nothing attached, and that a recorded log reads back with the exchanges it saw.
 */
class BackgroundJobStopTest {
    /** Bit of SIGINT (2) in /proc/PID/status's SigIgn mask. */
    private static final long SIGINT_BIT = 1L << (2 - 1);
    /** The bound: stopped within 1 s of the signal however flat was started. */
    private static final long STOP_BOUND_MS = 1_000;
    /** One per ping exchange in a jsonl report (the summary's per-server rows have no outcome). */
    private static final String ICMP_ANSWERED = "\"kind\":\"icmp\",\"outcome\":\"answered\"";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "flat {0}, kill -{1} to the process group")
    @CsvSource({"record, INT", "record, TERM", "monitor, INT", "monitor, TERM"})
    void stopsLikeTcpdump(String command, String signal) throws Exception {
        try (Lab lab = Lab.up()) {
            Path log = dir.resolve("x.flat");
            Path err = dir.resolve("flat.err");
            Path out = dir.resolve("flat.out");
            List<String> flat = command.equals("record")
                    ? Lab.flatCommand(List.of(), "record", "-i", CLIENT_IF, "-o", log.toString())
                    : Lab.flatCommand(List.of(), "monitor", "-i", CLIENT_IF, "--format", "jsonl", "--color", "never");
            // A non-interactive bash script, exactly the reproduction; it also starts a
            // witness the same way, whose signal mask proves that SIGINT arrives ignored.
            Path script = dir.resolve("start.sh");
            Files.writeString(script, String.join("\n",
                    "setsid ip netns exec " + CLIENT_NS + " " + quoted(flat) + " >" + out + " 2>" + err + " &",
                    "echo $! >" + dir.resolve("flat.pid"),
                    "setsid sleep 60 >/dev/null 2>&1 &",
                    "echo $! >" + dir.resolve("witness.pid"), ""));
            Lab.run(List.of("bash", script.toString()));
            long pid = Long.parseLong(Files.readString(dir.resolve("flat.pid")).trim());
            long witness = Long.parseLong(Files.readString(dir.resolve("witness.pid")).trim());
            try {
                assertTrue((ignoredMask(witness) & SIGINT_BIT) != 0,
                        "a background job of a script starts with SIGINT ignored: the case under test");
                awaitInFile(err, "Ctrl-C stops", 60_000);
                Lab.exec(CLIENT_NS, "ping", "-c", "3", "-i", "0.2", "-W", "1", SERVER_V4);

                long signalled = System.nanoTime();
                Lab.run(List.of("kill", "-" + signal, "--", "-" + pid));
                long stoppedMs = awaitExit(pid, 30_000);
                String stderr = Files.readString(err);
                assertTrue(stoppedMs >= 0, "still running 30 s after SIG" + signal + ":\n" + stderr);
                assertTrue(stoppedMs <= STOP_BOUND_MS, "stopped " + stoppedMs + " ms after SIG" + signal
                        + " (at most " + STOP_BOUND_MS + "):\n" + stderr);
                assertTrue(stderr.contains("flat: stopped by SIG" + signal), stderr);
                assertFalse(Lab.exec(CLIENT_NS, "bpftool", "net", "show", "dev", CLIENT_IF).contains("flat_"),
                        "nothing of flat's stays attached");

                if (command.equals("record")) {
                    String[] analyzed = Lab.flat("analyze", "--format", "jsonl", log.toString());
                    assertEquals("0", analyzed[0], analyzed[2]);
                    assertEquals(3, count(analyzed[1], ICMP_ANSWERED), analyzed[1]);
                } else {
                    String report = Files.readString(out);
                    assertEquals(3, count(report, ICMP_ANSWERED), report);
                    assertTrue(report.contains("\"summary\""), "the summary is printed on stop:\n" + report);
                }
            } finally {
                Lab.sh("kill -KILL -- -" + pid + " 2>/dev/null; kill -KILL " + witness + " 2>/dev/null; true");
            }
        }
    }

    /**
     * Milliseconds from now until the process has exited, or -1 when it outlives the timeout. A
     * zombie has exited: its parent, the script, is gone, and whoever adopts it may reap it late.
     */
    private static long awaitExit(long pid, long timeoutMs) throws Exception {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < timeoutMs) {
            if (hasExited(pid)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    private static boolean hasExited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": the state letter follows the last ')' (comm may hold spaces)
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException gone) {
            return true;
        }
    }

    private static long ignoredMask(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
            }
        }
        throw new AssertionError("no SigIgn line for pid " + pid);
    }

    private static void awaitInFile(Path file, String marker, long timeoutMs) throws Exception {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < timeoutMs) {
            if (Files.exists(file) && Files.readString(file).contains(marker)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + marker + "' in " + file + " after " + timeoutMs + " ms: "
                + (Files.exists(file) ? Files.readString(file) : "(no file)"));
    }

    private static String quoted(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
