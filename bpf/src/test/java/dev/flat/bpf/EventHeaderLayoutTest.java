package dev.flat.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flat.core.event.Direction;
import dev.flat.core.event.EventRecord;
import dev.flat.replay.FrameParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code bpf/flat_event.h}, the one definition of the event record and the probe's
 * settings, in step with the Java views of it ({@link EventRecord}, {@link FlatConfig},
 * {@link ProbeCounters}, {@link Direction}, and {@link FrameParser}'s bounds on IPv6 extension
 * headers, VLAN tags and MPLS labels).
 *
 * <p>A tiny C program (test resource {@code flat_event_layout.c}) is compiled with gcc against the
 * header and prints {@code offsetof}/{@code sizeof} of every field and the value of every shared
 * constant; each must equal its Java counterpart, and every line it prints must have one (a
 * field added to the header without a Java constant fails here). The test also reads the
 * committed {@code flat.bpf.o} to check that {@code .rodata} is exactly {@code struct flat_config},
 * which user space overwrites at offset 0 before load.
 *
 * <p>Without gcc the test is skipped, except in CI ({@code CI=true} or
 * {@code FLAT_REQUIRE_PRIVILEGED=1}, set by .ci/run), where a missing compiler fails it.
 */
class EventHeaderLayoutTest {
    /** Maven runs tests from the module directory, where the header and the object live. */
    private static final Path HEADER = Path.of("flat_event.h");
    private static final Path OBJECT = Path.of("flat.bpf.o");
    private static final String LAYOUT_SOURCE = "flat_event_layout.c";
    private static final long COMPILE_TIMEOUT_SECONDS = 60;

    @TempDir
    static Path work;

    /** What the C program printed: name → value, in its order. */
    private static Map<String, Long> header;

    @BeforeAll
    static void compileAndRunLayoutProgram() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(HEADER), "flat_event.h not found from " + Path.of("").toAbsolutePath());
        Path gcc = findOnPath("gcc");
        if (gcc == null) {
            String why = "gcc is not on PATH: cannot compile the flat_event.h layout program";
            if (required()) {
                fail(why + " (CI must install gcc, see .ci/run)");
            }
            Assumptions.abort(why);
        }
        Path source = work.resolve(LAYOUT_SOURCE);
        try (InputStream in = EventHeaderLayoutTest.class.getResourceAsStream(LAYOUT_SOURCE)) {
            assertTrue(in != null, "test resource " + LAYOUT_SOURCE + " missing");
            Files.copy(in, source);
        }
        Path binary = work.resolve("flat_event_layout");
        run(List.of(gcc.toString(), "-std=c11", "-Wall", "-Wextra", "-Werror",
                "-I", HEADER.toAbsolutePath().getParent().toString(),
                "-o", binary.toString(), source.toString()));
        header = parse(run(List.of(binary.toString())));
    }

    static Stream<Arguments> expectedLayout() {
        Map<String, Long> expected = new LinkedHashMap<>();
        // struct flat_event ↔ EventRecord: offsets, and widths as EventRecord reads them
        field(expected, "event.type", EventRecord.TYPE_OFFSET, Byte.BYTES);
        field(expected, "event.version", EventRecord.VERSION_OFFSET, Byte.BYTES);
        field(expected, "event.direction", EventRecord.DIRECTION_OFFSET, Byte.BYTES);
        field(expected, "event.ip_version", EventRecord.IP_VERSION_OFFSET, Byte.BYTES);
        field(expected, "event.ip_proto", EventRecord.IP_PROTO_OFFSET, Byte.BYTES);
        field(expected, "event.ttl", EventRecord.TTL_OFFSET, Byte.BYTES);
        field(expected, "event.tcp_flags", EventRecord.TCP_FLAGS_OFFSET, Byte.BYTES);
        field(expected, "event.icmp_type", EventRecord.ICMP_TYPE_OFFSET, Byte.BYTES);
        field(expected, "event.icmp_code", EventRecord.ICMP_CODE_OFFSET, Byte.BYTES);
        field(expected, "event.ts_digits", EventRecord.TS_DIGITS_OFFSET, Byte.BYTES);
        field(expected, "event.payload_len", EventRecord.PAYLOAD_LEN_OFFSET, Short.BYTES);
        field(expected, "event.ifindex", EventRecord.IFINDEX_OFFSET, Integer.BYTES);
        field(expected, "event.ts_ns", EventRecord.TS_NS_OFFSET, Long.BYTES);
        field(expected, "event.saddr", EventRecord.SADDR_OFFSET, EventRecord.ADDR_LENGTH);
        field(expected, "event.daddr", EventRecord.DADDR_OFFSET, EventRecord.ADDR_LENGTH);
        field(expected, "event.sport", EventRecord.SPORT_OFFSET, Short.BYTES);
        field(expected, "event.dport", EventRecord.DPORT_OFFSET, Short.BYTES);
        field(expected, "event.tcp_seq", EventRecord.TCP_SEQ_OFFSET, Integer.BYTES);
        field(expected, "event.tcp_ack", EventRecord.TCP_ACK_OFFSET, Integer.BYTES);
        field(expected, "event.payload", EventRecord.PAYLOAD_OFFSET, EventRecord.PAYLOAD_LENGTH);
        field(expected, "event.reserved", EventRecord.RESERVED_OFFSET,
                EventRecord.ENCODED_LENGTH - EventRecord.RESERVED_OFFSET);
        expected.put("event.sizeof", (long) EventRecord.ENCODED_LENGTH);
        expected.put("FLAT_EVENT_SIZE", (long) EventRecord.ENCODED_LENGTH);
        expected.put("FLAT_EVENT_TYPE_PACKET", (long) EventRecord.TYPE_PACKET);
        expected.put("FLAT_EVENT_VERSION", (long) EventRecord.VERSION);
        expected.put("FLAT_DIR_UNKNOWN", (long) Direction.UNKNOWN.code());
        expected.put("FLAT_DIR_INGRESS", (long) Direction.INGRESS.code());
        expected.put("FLAT_DIR_EGRESS", (long) Direction.EGRESS.code());
        expected.put("FLAT_TS_DIGITS_NS", (long) EventRecord.DIGITS_NS);
        expected.put("FLAT_TS_DIGITS_US", (long) EventRecord.DIGITS_US);

        // struct flat_config ↔ FlatConfig
        field(expected, "config.kinds", FlatConfig.KINDS_OFFSET, Integer.BYTES);
        field(expected, "config.link", FlatConfig.LINK_OFFSET, Integer.BYTES);
        field(expected, "config.nhosts", FlatConfig.NHOSTS_OFFSET, Integer.BYTES);
        field(expected, "config.nports", FlatConfig.NPORTS_OFFSET, Integer.BYTES);
        field(expected, "config.hosts", FlatConfig.HOSTS_OFFSET, FlatConfig.MAX_HOSTS * FlatConfig.HOST_LENGTH);
        field(expected, "config.ports", FlatConfig.PORTS_OFFSET, FlatConfig.MAX_PORTS * Short.BYTES);
        expected.put("config.hosts.entry_size", (long) FlatConfig.HOST_LENGTH);
        expected.put("config.sizeof", (long) FlatConfig.ENCODED_LENGTH);
        expected.put("FLAT_CONFIG_SIZE", (long) FlatConfig.ENCODED_LENGTH);
        expected.put("FLAT_KIND_TCP", (long) FlatConfig.KIND_TCP);
        expected.put("FLAT_KIND_UDP", (long) FlatConfig.KIND_UDP);
        expected.put("FLAT_KIND_ICMP", (long) FlatConfig.KIND_ICMP);
        expected.put("FLAT_MAX_HOSTS", (long) FlatConfig.MAX_HOSTS);
        expected.put("FLAT_MAX_PORTS", (long) FlatConfig.MAX_PORTS);
        expected.put("FLAT_LINK_ETHERNET", (long) FlatConfig.LINK_ETHERNET);
        expected.put("FLAT_LINK_RAW_IP", (long) FlatConfig.LINK_RAW_IP);

        // enum flat_counter ↔ ProbeCounters
        expected.put("FLAT_CNT_PACKETS", (long) ProbeCounters.PACKETS);
        expected.put("FLAT_CNT_EVENTS", (long) ProbeCounters.EVENTS);
        expected.put("FLAT_CNT_RING_FULL", (long) ProbeCounters.RING_FULL);
        expected.put("FLAT_CNT_PARSE_ERRORS", (long) ProbeCounters.PARSE_ERRORS);
        expected.put("FLAT_CNT_FILTERED", (long) ProbeCounters.FILTERED);
        expected.put("FLAT_CNT_MAX", (long) ProbeCounters.COUNT);

        // the kernel and the capture parser walk the same stacks and skip the same packets
        expected.put("FLAT_MAX_EXT_HDRS", (long) FrameParser.MAX_EXTENSION_HEADERS);
        expected.put("FLAT_MAX_VLAN_TAGS", (long) FrameParser.MAX_VLAN_TAGS);
        expected.put("FLAT_MAX_MPLS_LABELS", (long) FrameParser.MAX_MPLS_LABELS);
        expected.put("FLAT_MAX_TUNNELS", (long) FrameParser.MAX_TUNNELS);

        return expected.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("expectedLayout")
    void headerMatchesJava(String name, long javaValue) {
        Long cValue = header.get(name);
        assertTrue(cValue != null, "flat_event_layout.c printed no line for " + name);
        assertEquals(javaValue, cValue.longValue(), name + ": flat_event.h says " + cValue + ", Java says " + javaValue);
    }

    @Test
    void everyHeaderFieldAndConstantHasAJavaCounterpart() {
        TreeSet<String> unchecked = new TreeSet<>(header.keySet());
        expectedLayout().forEach(a -> unchecked.remove((String) a.get()[0]));
        assertTrue(unchecked.isEmpty(), "flat_event.h entries without a Java counterpart: " + unchecked);
    }

    /**
     * libbpf exposes .rodata as one map that user space fills through bpf_map__initial_value
     * before load (FlatConfig at offset 0). A string literal (bpf_printk) or a second const global
     * would move or grow it; the binding checks the size at run time, this catches it at build time.
     */
    @Test
    void committedObjectRodataIsExactlyFlatConfig() throws IOException {
        assertTrue(Files.isRegularFile(OBJECT), "flat.bpf.o not found: run make -C bpf");
        Map<String, Long> sections = elfSectionSizes(Files.readAllBytes(OBJECT));
        assertEquals(Long.valueOf(FlatConfig.ENCODED_LENGTH), sections.get(".rodata"), "size of .rodata in flat.bpf.o");
        List<String> otherReadOnlyData = new ArrayList<>();
        for (String name : sections.keySet()) {
            if (name.startsWith(".rodata") && !name.equals(".rodata")) {
                otherReadOnlyData.add(name);
            }
        }
        assertTrue(otherReadOnlyData.isEmpty(), "flat.bpf.o has read-only data besides cfg: " + otherReadOnlyData);
        for (String required : List.of(".maps", "tc", "license", ".BTF", ".BTF.ext")) {
            assertTrue(sections.containsKey(required), "flat.bpf.o lacks section " + required + ": " + sections.keySet());
        }
    }

    private static void field(Map<String, Long> expected, String name, int offset, int size) {
        expected.put(name + ".offset", (long) offset);
        expected.put(name + ".size", (long) size);
    }

    /**
     * Section name → size of a little-endian ELF64 object (the BPF object is bpfel), read from the
     * section header table with every index bounds-checked.
     */
    static Map<String, Long> elfSectionSizes(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(elf.length >= 64 && b.getInt(0) == 0x464C457F, "not an ELF file");
        assertEquals(2, elf[4], "ELF class (2 = 64-bit)");
        assertEquals(1, elf[5], "ELF data encoding (1 = little-endian)");
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
        assertTrue(shentsize >= 64 && shstrndx < shnum && shoff > 0
                && shoff + (long) shnum * shentsize <= elf.length, "ELF section header table out of bounds");
        long namesOffset = b.getLong((int) shoff + shstrndx * shentsize + 0x18);
        long namesSize = b.getLong((int) shoff + shstrndx * shentsize + 0x20);
        assertTrue(namesOffset >= 0 && namesOffset + namesSize <= elf.length, "ELF section names out of bounds");
        Map<String, Long> sizes = new TreeMap<>();
        for (int i = 1; i < shnum; i++) {
            int header = (int) shoff + i * shentsize;
            int nameOffset = b.getInt(header);
            assertTrue(nameOffset >= 0 && nameOffset < namesSize, "ELF section name index out of bounds");
            int start = (int) namesOffset + nameOffset;
            int end = start;
            while (end < namesOffset + namesSize && elf[end] != 0) {
                end++;
            }
            sizes.put(new String(elf, start, end - start, StandardCharsets.US_ASCII), b.getLong(header + 0x20));
        }
        return sizes;
    }

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"));
    }

    private static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs a command to completion; fails the test with its output when it does not exit 0. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command.get(0) + " did not finish within " + COMPILE_TIMEOUT_SECONDS + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static Map<String, Long> parse(String output) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            assertEquals(2, parts.length, "layout line '" + line + "'");
            assertTrue(values.put(parts[0], Long.parseLong(parts[1])) == null, "duplicate layout line " + parts[0]);
        }
        return values;
    }
}
