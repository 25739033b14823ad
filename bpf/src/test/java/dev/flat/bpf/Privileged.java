package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that load BPF programs and create network namespaces. They skip, with the reason,
 * only when this machine forbids them; with FLAT_REQUIRE_PRIVILEGED=1 (CI runs as root) every such
 * condition fails the test instead, so a broken setup cannot pass as "skipped".
 */
final class Privileged {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_BPF = 39;

    private Privileged() {
    }

    /** Skips (or fails under FLAT_REQUIRE_PRIVILEGED=1) unless bpf() and tc are usable here. */
    static void require() {
        String missing = missing();
        if (missing != null) {
            if ("1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
                fail("FLAT_REQUIRE_PRIVILEGED=1 but " + missing);
            }
            Assumptions.abort(missing);
        }
    }

    /** As {@link #require()}, and the tool must be installed. */
    static void requireTool(String tool, String debianPackage) {
        require();
        if (!onPath(tool)) {
            String missing = "'" + tool + "' is not installed (Debian: " + debianPackage + ")";
            if ("1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
                fail("FLAT_REQUIRE_PRIVILEGED=1 but " + missing);
            }
            Assumptions.abort(missing);
        }
    }

    private static String missing() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return "not Linux";
        }
        long caps = effectiveCapabilities();
        boolean bpf = (caps & (1L << CAP_BPF)) != 0 || (caps & (1L << CAP_SYS_ADMIN)) != 0;
        if (!bpf || (caps & (1L << CAP_NET_ADMIN)) == 0) {
            return "needs CAP_BPF (or CAP_SYS_ADMIN) and CAP_NET_ADMIN (run as root)";
        }
        for (String tool : new String[] {"ip", "tc", "ping"}) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed (iproute2, iputils-ping)";
            }
        }
        return null;
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
