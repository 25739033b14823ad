package dev.flat.cli;

import dev.flat.core.match.Kind;
import dev.flat.core.match.MatcherConfig;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Option;

/** What the matcher measures and remembers; shared by analyze and the live commands. */
public final class MatchOptions {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a request waits for its response, in capture time (default: ${DEFAULT-VALUE}; "
                    + "units ns, us, ms, s, m).")
    long timeoutNs;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "" + MatcherConfig.DEFAULT_MAX_PENDING,
            description = "Requests pending at once before the oldest is evicted (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", converter = KindConverter.class,
            description = "Measure only these kinds: comma list of tcp, dns, udp, icmp (default: all).")
    List<Kind> kinds;

    /** @throws IllegalArgumentException naming the bad value (the caller turns it into a usage error) */
    public MatcherConfig config() {
        EnumSet<Kind> k = kinds == null || kinds.isEmpty() ? EnumSet.allOf(Kind.class) : EnumSet.copyOf(kinds);
        return new MatcherConfig(timeoutNs, maxPending, k);
    }
}
