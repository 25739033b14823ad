package dev.flat.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (Debian package {@code chromium}) for the html report's browser test. Each
 * run gets a fresh profile directory, removed afterwards, and nothing that would reach the
 * network (background networking, component updates, sync, QUIC are off; the page fetches
 * nothing anyway). Console messages go to stderr ({@code --enable-logging=stderr --v=0}) as
 * {@code INFO:CONSOLE} lines, whatever their level.
 *
 * <p>A machine without Chromium skips the test with the reason; with FLAT_REQUIRE_PRIVILEGED=1,
 * as .ci/run sets (and installs {@code chromium}), it fails instead, so CI cannot pass by skipping.
 */
final class Chromium {
    private static final String[] BINARIES = {"chromium", "chromium-browser", "google-chrome"};
    private static final long TIMEOUT_SECONDS = 120;

    /** What a page left behind: its DOM after its scripts ran, and the browser's stderr. */
    record Page(String dom, String stderr) {}

    private final Path binary;

    private Chromium(Path binary) {
        this.binary = binary;
    }

    /** The installed browser, or a skip (a failure under FLAT_REQUIRE_PRIVILEGED=1). */
    static Chromium require() {
        Path found = find();
        if (found == null) {
            String missing = "no Chromium on PATH (Debian: apt-get install chromium)";
            if ("1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
                fail("FLAT_REQUIRE_PRIVILEGED=1 but " + missing);
            }
            Assumptions.abort(missing);
        }
        return new Chromium(found);
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String name : BINARIES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Loads {@code url}, lets its scripts run (up to 10 s of virtual time), and returns the DOM. */
    Page dumpDom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** Saves a PNG of the page as a window of {@code width} × {@code height} pixels. */
    Page screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        return run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png, url));
    }

    private Page run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("flat-chromium-");
        Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
        Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--window-size=1280,2400", "--virtual-time-budget=10000"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("chromium exited with " + p.exitValue() + ":\n" + err);
            }
            return new Page(Files.readString(stdout, StandardCharsets.UTF_8), err);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
