package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./flat} launcher's choice of JVM options per JDK: JDK 25 or later gets the native
 * access flags and an AOT cache trained once, JDK 17 a class-data archive and none of the newer
 * flags, and the user's arguments reach java unchanged. The launcher runs from a copy of the checkout's layout whose
 * jar is a placeholder (so it never builds), with {@code FLAT_JAVA} pointing at a fake JDK: a
 * script that logs each command line and, when asked to dump a cache or an archive, writes one.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "flat").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path root;
    private Path log;

    @BeforeEach
    void checkoutLayout() throws IOException {
        root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("cli/target"));
        Files.createDirectories(root.resolve("testdata/lab"));
        Files.copy(LAUNCHER, root.resolve("flat"));
        root.resolve("flat").toFile().setExecutable(true);
        Files.writeString(root.resolve("testdata/lab/lab.pcapng"), "");
        Files.writeString(root.resolve("cli/target/flat.jar"), "");
        log = dir.resolve("java.log");
    }

    /** A JDK home whose release file names {@code version} and whose bin/java logs its arguments, shell-quoted. */
    private Path fakeJdk(String version, boolean trainingFails) throws IOException {
        Path home = dir.resolve("jdk-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, String.join("\n",
                "#!/usr/bin/env bash",
                "{ printf '%q ' \"$@\"; echo; } >> '" + log + "'   # shell-quoted: one word per argument",
                "for a in \"$@\"; do",
                "  case \"$a\" in",
                "    -XX:AOTCacheOutput=*) " + (trainingFails ? "exit 1" : "echo cache > \"${a#*=}\"") + " ;;",
                "    -XX:ArchiveClassesAtExit=*) echo archive > \"${a#*=}\" ;;",
                "  esac",
                "done",
                "exit 0",
                ""));
        java.toFile().setExecutable(true);
        // The launcher retrains when the java binary is newer than the cache: make it old.
        Files.setLastModifiedTime(java, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        return java;
    }

    private Run flat(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve("flat").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("err").toFile());
        pb.environment().put("FLAT_JAVA", java.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        List<String> calls = Files.exists(log) ? Files.readAllLines(log).stream().map(String::strip).toList() : List.of();
        Files.deleteIfExists(log);
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("err")), calls);
    }

    private record Run(int exitCode, String out, String err, List<String> javaCalls) {
        String last() { return javaCalls.get(javaCalls.size() - 1); }
    }

    @Test
    void jdk25TrainsTheAotCacheOnceThenRunsWithIt() throws Exception {
        Path java = fakeJdk("25.0.3", false);
        Run first = flat(java, "analyze", "--format", "csv", "a b.pcap");
        assertEquals(0, first.exitCode(), first.err());
        Path cache = root.resolve("cli/target/flat.aot");
        assertTrue(Files.exists(cache));
        assertEquals(2, first.javaCalls().size(), "training, then the run: " + first.javaCalls());
        String training = first.javaCalls().get(0);
        assertTrue(training.contains("-XX:AOTCacheOutput=" + cache + "."), training); // written beside it, renamed
        assertTrue(training.contains("--enable-native-access=ALL-UNNAMED"), training);
        assertTrue(training.contains("analyze --format csv -o /dev/null " + root.resolve("testdata/lab/lab.pcapng")), training);
        assertTrue(first.err().contains("training the JDK 25 ahead-of-time cache"), first.err());

        String run = first.last();
        assertTrue(run.contains("--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"), run);
        assertTrue(run.contains("-XX:AOTCache=" + cache + " -Xlog:aot=off -Xlog:cds=off"), run);
        assertFalse(run.contains("SharedArchiveFile"), run);
        assertTrue(run.endsWith("-jar " + root.resolve("cli/target/flat.jar") + " analyze --format csv a\\ b.pcap"), run);

        Run second = flat(java, "--version");
        assertEquals(1, second.javaCalls().size(), "no second training: " + second.javaCalls());
        assertEquals("", second.err());
        try (var leftovers = Files.list(root.resolve("cli/target"))) {
            assertEquals(List.of(cache, root.resolve("cli/target/flat.jar")),
                    leftovers.sorted().toList(), "no partial cache left behind");
        }
    }

    /**
     * With the bench module built, the training also analyses a generated 1 M-packet capture,
     * after the lab capture, whose packets are later: the order whose profiles measured faster
     * (docs/performance.md, finding 33).
     */
    @Test
    void theGeneratedCaptureIsTrainedOnAfterTheLabCapture() throws Exception {
        Files.createDirectories(root.resolve("bench/target"));
        Files.writeString(root.resolve("bench/target/benchmarks.jar"), "");
        Run r = flat(fakeJdk("25", false), "--version");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, r.javaCalls().size(), "generator, training, run: " + r.javaCalls());
        assertTrue(r.javaCalls().get(0).contains("dev.flat.bench.WorkloadGenerator --packets 1000000"), r.javaCalls().get(0));
        String training = r.javaCalls().get(1);
        assertTrue(training.matches(".* analyze --format csv -o /dev/null "
                + java.util.regex.Pattern.quote(root.resolve("testdata/lab/lab.pcapng").toString()) + " \\S*/training\\.pcap"), training);
    }

    @Test
    void aNewerJarIsTrainedAgain() throws Exception {
        Path java = fakeJdk("25", false);
        flat(java, "--version");
        Path jar = root.resolve("cli/target/flat.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(2, flat(java, "--version").javaCalls().size());
    }

    @Test
    void aFailedTrainingOnlyCostsTheCache() throws Exception {
        Run r = flat(fakeJdk("26", true), "--version");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(Files.exists(root.resolve("cli/target/flat.aot")));
        assertFalse(r.last().contains("AOTCache"), r.last());
        assertTrue(r.last().contains("--enable-native-access=ALL-UNNAMED"), r.last());
    }

    @Test
    void jdk17GetsTheClassDataArchiveAndNoFlagsItDoesNotKnow() throws Exception {
        Run r = flat(fakeJdk("17.0.21.1", false), "analyze", "x.pcap");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        String run = r.last();
        assertTrue(run.contains("-XX:SharedArchiveFile=" + root.resolve("cli/target/flat.jsa")), run);
        assertFalse(run.contains("enable-native-access"), run);
        assertFalse(run.contains("sun-misc-unsafe"), run);
        assertFalse(run.contains("AOT"), run);
        assertTrue(run.endsWith(" analyze x.pcap"), run);
    }

    /**
     * The heap in transparent huge pages exactly when the kernel gives them on request (mode
     * madvise): in mode never the JVM would warn on stderr, in mode always it needs no asking.
     * Checked against this machine's mode, whichever it is.
     */
    @Test
    void transparentHugePagesAreAskedForOnlyInMadviseMode() throws Exception {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean madvise = Files.isReadable(mode) && Files.readString(mode).contains("[madvise]");
        for (String release : List.of("17.0.21.1", "25.0.3")) {
            Run r = flat(fakeJdk(release, false), "--version");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(madvise, r.last().contains(" -XX:+UseTransparentHugePages "), release + ": " + r.last());
        }
    }

    @Test
    void jdk24GetsTheNativeAccessFlagsButNoAotCache() throws Exception {
        Run r = flat(fakeJdk("24.0.2", false), "--version");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        String run = r.last();
        assertTrue(run.contains("--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"), run);
        assertTrue(run.contains("-XX:SharedArchiveFile="), run);
        assertFalse(run.contains("AOT"), run);
    }

    @Test
    void aFlatJavaThatIsNoProgramIsOneLine() throws Exception {
        Run r = flat(dir.resolve("no-such-java"), "--version");
        assertEquals(1, r.exitCode());
        assertEquals("flat: FLAT_JAVA=" + dir.resolve("no-such-java") + " is not a java binary\n", r.err());
    }
}
