package dev.flat.cli.live;

import static dev.flat.cli.live.Lab.CLIENT_IF;
import static dev.flat.cli.live.Lab.CLIENT_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code flat record} as a real process, stopped by SIGINT, SIGTERM or SIGKILL: afterwards no
 * filter, qdisc or link of flat's remains on the interface. Legacy tc filters cannot survive
 * SIGKILL cleanly (the kernel keeps them; docs/live-capture.md), so SIGKILL is tested with TCX,
 * whose links the kernel releases with the process.
 */
class LiveCleanupTest {
    private static final Pattern LINK = Pattern.compile("(?m)^(\\d+): .*?prog (\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--attach {1}, {0}")
    @CsvSource({"INT, tcx, 0", "TERM, tcx, 0", "KILL, tcx, 137", "INT, tc, 0", "TERM, tc, 0"})
    void nothingOfFlatRemainsAfterTheProcessEnds(String signal, String attach, int exitCode) throws Exception {
        try (Lab lab = Lab.up()) {
            Set<String> linksBefore = flatLinks();
            Process flat = Lab.startFlat(CLIENT_NS, "record", "-i", CLIENT_IF, "-o", dir.resolve("x.flatlog").toString(),
                    "--backend", "ebpf", "--attach", attach);
            String err = Lab.awaitLine(flat, "Ctrl-C stops", 60_000);
            assertTrue(err.contains("ebpf (" + attach + ")"), err);
            Set<String> ours = flatLinks();
            ours.removeAll(linksBefore);
            if (attach.equals("tcx")) {
                assertEquals(2, ours.size(), "ingress and egress links while recording");
            } else {
                assertTrue(tcFilters().contains("flat_ingress"), "legacy filter while recording");
            }

            Lab.signal(flat, signal);
            assertTrue(flat.waitFor(30, TimeUnit.SECONDS));
            assertEquals(exitCode, flat.exitValue());

            String filters = tcFilters();
            assertFalse(filters.contains("flat_"), filters);
            assertFalse(filters.contains("bpf"), filters);
            assertFalse(Lab.exec(CLIENT_NS, "tc", "qdisc", "show", "dev", CLIENT_IF).contains("clsact"),
                    "the clsact qdisc flat created is gone");
            assertFalse(Lab.exec(CLIENT_NS, "bpftool", "net", "show", "dev", CLIENT_IF).contains("flat_"));
            Set<String> left = flatLinks();
            left.retainAll(ours);
            assertEquals(Set.of(), left, "flat's TCX links are released");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INT", "TERM"})
    void legacyModeLeavesAnotherToolsClsactAndFilterAlone(String signal) throws Exception {
        try (Lab lab = Lab.up()) {
            // Another tool's tc program. A BPF one, since kernels may come without the other
            // classifiers (matchall, u32...) or the gact action; it observes only (TC_ACT_UNSPEC).
            Path source = dir.resolve("other.c");
            Files.writeString(source, String.join("\n",
                    "struct __sk_buff;",
                    "__attribute__((section(\"tc\"), used)) int other_tool(struct __sk_buff *skb) { return -1; }",
                    "char _license[] __attribute__((section(\"license\"), used)) = \"GPL\";", ""));
            Path object = dir.resolve("other.o");
            Lab.run(List.of("clang", "-O2", "-target", "bpf", "-c", source.toString(), "-o", object.toString()));
            Lab.exec(CLIENT_NS, "tc", "qdisc", "add", "dev", CLIENT_IF, "clsact");
            Lab.exec(CLIENT_NS, "tc", "filter", "add", "dev", CLIENT_IF, "ingress", "pref", "7", "bpf", "da",
                    "obj", object.toString(), "sec", "tc");
            Process flat = Lab.startFlat(CLIENT_NS, "record", "-i", CLIENT_IF, "-o", dir.resolve("y.flatlog").toString(),
                    "--backend", "ebpf", "--attach", "tc");
            Lab.awaitLine(flat, "Ctrl-C stops", 60_000);
            assertTrue(tcFilters().contains("flat_ingress"));
            Lab.signal(flat, signal);
            assertTrue(flat.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, flat.exitValue());

            String filters = tcFilters();
            assertFalse(filters.contains("flat_"), filters);
            assertTrue(filters.contains("other_tool"), "the other tool's filter stays: " + filters);
            assertTrue(Lab.exec(CLIENT_NS, "tc", "qdisc", "show", "dev", CLIENT_IF).contains("clsact"),
                    "the clsact qdisc flat did not create stays");
        }
    }

    private static String tcFilters() throws Exception {
        return Lab.run(List.of("ip", "netns", "exec", CLIENT_NS, "sh", "-c",
                "tc filter show dev " + CLIENT_IF + " ingress 2>&1; tc filter show dev " + CLIENT_IF + " egress 2>&1; true"));
    }

    /** "link id/prog id" of every BPF link whose program is flat's, machine-wide. */
    private static Set<String> flatLinks() throws Exception {
        Set<String> links = new HashSet<>();
        Matcher m = LINK.matcher(Lab.run(List.of("bpftool", "link", "show")));
        while (m.find()) {
            String prog = Lab.run(List.of("sh", "-c", "bpftool prog show id " + m.group(2) + " 2>/dev/null; true"));
            if (prog.contains("flat_ingress") || prog.contains("flat_egress")) {
                links.add(m.group(1) + "/" + m.group(2));
            }
        }
        return links;
    }
}
