package dev.flat.cli.golden;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the exchanges of a {@code flat analyze --format json} report (docs/report-schema.md). */
final class FlatJsonReport {
    /** Latencies stay BigDecimal: a double would round 0.000001 ms steps. */
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private FlatJsonReport() {}

    static List<MeasuredExchange> exchanges(String reportJson) {
        JsonNode root;
        try {
            root = JSON.readTree(reportJson);
        } catch (IOException e) {
            throw new UncheckedIOException("flat's JSON report does not parse", e);
        }
        List<MeasuredExchange> out = new ArrayList<>();
        for (JsonNode x : root.path("exchanges")) {
            out.add(exchange(x));
        }
        return out;
    }

    private static MeasuredExchange exchange(JsonNode x) {
        String kind = x.get("kind").asText();
        String tag = switch (kind) {
            case "dns" -> "id=" + x.get("dns_id").asInt();
            case "icmp" -> "id=" + x.get("icmp_id").asInt() + " seq=" + x.get("icmp_seq").asInt();
            default -> "";
        };
        return new MeasuredExchange(kind, x.get("outcome").asText(),
                MeasuredExchange.address(x.get("client").asText()), x.path("client_port").asInt(0),
                MeasuredExchange.address(x.get("server").asText()), x.path("server_port").asInt(0),
                tag, epochNanos(x.get("time").asText()), millisToNanos(x.get("latency_ms").decimalValue()),
                x.get("retransmits").asInt(), x.get("ttl").asInt());
    }

    static long epochNanos(String isoTime) {
        Instant t = Instant.parse(isoTime);
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /** Exact: flat writes at most 6 decimals of a millisecond, so this never rounds. */
    static long millisToNanos(BigDecimal ms) {
        return ms.movePointRight(6).longValueExact();
    }
}
