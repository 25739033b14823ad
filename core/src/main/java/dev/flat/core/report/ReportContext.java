package dev.flat.core.report;

import dev.flat.core.input.InputStats;
import dev.flat.core.match.MatcherStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a report's closing part needs once the input is exhausted.
 *
 * @param summary        exchanges aggregated by kind and server
 * @param matcher        the matcher's counters (unanswered, evicted, ... per kind)
 * @param input          what the readers saw
 * @param filteredEvents events the --host/--port filter held back
 * @param top            how many busiest servers to list
 */
public record ReportContext(Summary summary, MatcherStats matcher, InputStats input, long filteredEvents, int top) {

    /** Warnings to show: the readers' plus the summary's own. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>(input.warnings());
        if (summary.untrackedServerExchanges() > 0) {
            w.add(summary.untrackedServerExchanges() + " exchanges with servers beyond the first "
                    + Summary.MAX_SERVERS + " are in the per-kind figures only");
        }
        return w;
    }
}
