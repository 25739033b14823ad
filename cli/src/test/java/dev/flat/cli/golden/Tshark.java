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
 * {@code -E occurrence=l}: the innermost header wins, which in a tunnel (GRE, IP in IP) is the
 * packet the exchange is made of, as flat reports it. ICMP errors, whose quoted header would
 * win too, are kept out by the display filters of {@link WiresharkExchanges}.
 */
final class Tshark {
    private static final long TIMEOUT_SECONDS = 60;

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
        String get(String field) {
            int i = names.indexOf(field);
            if (i < 0) {
                throw new IllegalArgumentException(field + " was not asked of tshark: " + names);
            }
            return cells[i];
        }

        boolean has(String field) { return !get(field).isEmpty(); }

        int integer(String field) { return Integer.decode(get(field)); }
    }

    static List<Row> fields(Path capture, String displayFilter, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-n",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=l"));
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
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " failed: " + Files.readString(err));
                }
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
}
