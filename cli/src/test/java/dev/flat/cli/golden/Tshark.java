package dev.flat.cli.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Wireshark's command-line dissector: {@code tshark -r FILE -n -Y FILTER -T fields -e ...}.
 * Each output row is one frame.
 * {@code -E occurrence=a}: every occurrence of a field, joined by {@link #AGGREGATOR}.
 * {@link Row#get} takes the last, the innermost header, which in a tunnel (GRE, IP in IP) is the
 * packet the exchange is made of, as flat reports it (ICMP errors, whose quoted header would win
 * too, are kept out by the display filters of {@link WiresharkExchanges}); {@link Row#first}
 * takes the first, e.g. the first of a reassembled datagram's fragments.
 */
final class Tshark {
    private static final long TIMEOUT_SECONDS = 60;
    /** tshark's exit status when it cannot read a capture (or all of it): wiretap errors. */
    private static final int READ_ERROR_EXIT = 2;
    /** Between the occurrences of a field: a character no field flat compares can contain. */
    private static final char AGGREGATOR = '|';

    private Tshark() {}

    /** Whether a tshark binary runs on this machine. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("tshark", "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One frame's fields, by name; "" where the frame lacks the field. */
    record Row(List<String> names, String[] cells) {
        /** The field's last occurrence in the frame: the innermost header's. */
        String get(String field) {
            String all = cell(field);
            return all.substring(all.lastIndexOf(AGGREGATOR) + 1);
        }

        /** The field's first occurrence in the frame. */
        String first(String field) {
            String all = cell(field);
            int end = all.indexOf(AGGREGATOR);
            return end < 0 ? all : all.substring(0, end);
        }

        private String cell(String field) {
            int i = names.indexOf(field);
            if (i < 0) {
                throw new IllegalArgumentException(field + " was not asked of tshark: " + names);
            }
            return cells[i];
        }

        boolean has(String field) { return !get(field).isEmpty(); }

        int integer(String field) { return Integer.decode(get(field)); }
    }

    /**
     * What tshark printed, and the error that ended its reading early, if any. tshark prints the
     * frames it read before it stops at a file cut short or an unsupported section, then exits
     * 2 with a message such as "appears to have been cut short in the middle of a packet".
     */
    record Output(List<Row> rows, String readError) {}

    /** The rows of a capture tshark reads to the end; any read error fails the test. */
    static List<Row> fields(Path capture, String displayFilter, String... fields) {
        Output out = read(capture, displayFilter, fields);
        if (out.readError() != null) {
            throw new AssertionError("tshark -r " + capture + " failed: " + out.readError());
        }
        return out.rows();
    }

    /** The rows tshark prints, also when it stops early at a damaged part of the file. */
    static Output read(Path capture, String displayFilter, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-n",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", "aggregator=" + AGGREGATOR));
        if (displayFilter != null) {
            cmd.addAll(List.of("-Y", displayFilter));
        }
        for (String f : fields) {
            cmd.addAll(List.of("-e", f));
        }
        try {
            Path err = Files.createTempFile("flat-tshark", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " took more than " + TIMEOUT_SECONDS + " s");
                }
                String readError = null;
                if (p.exitValue() == READ_ERROR_EXIT) {
                    readError = readErrorLine(Files.readString(err));
                } else if (p.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", cmd) + " failed: " + Files.readString(err));
                }
                return new Output(rows(out, fields), readError);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running tshark", e);
        }
    }

    private static List<Row> rows(String out, String[] fields) {
        List<String> names = List.of(fields);
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                // -1: keep trailing empty fields, so every row has one cell per field.
                String[] cells = line.split("\t", -1);
                String[] row = Arrays.copyOf(cells, fields.length);
                Arrays.setAll(row, i -> row[i] == null ? "" : row[i]);
                rows.add(new Row(names, row));
            }
        }
        return rows;
    }

    /** tshark's message without its "Running as user root" banner, on one line. */
    private static String readErrorLine(String stderr) {
        return stderr.lines()
                .filter(l -> !l.startsWith("Running as user"))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + " " + b)
                .orElse("exit status " + READ_ERROR_EXIT);
    }
}
