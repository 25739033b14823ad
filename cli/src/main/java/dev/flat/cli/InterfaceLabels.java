package dev.flat.cli;

import dev.flat.core.input.InterfaceNames;
import java.util.function.LongFunction;

/**
 * ifindex → label for report rows, from the source being read now: interface numbers are per
 * capture file (pcapng interface id + 1), so each file's own names apply to its exchanges.
 */
final class InterfaceLabels implements LongFunction<String> {
    private InterfaceNames current = new InterfaceNames();

    void use(InterfaceNames names) { current = names; }

    @Override
    public String apply(long ifindex) { return current.label(ifindex); }
}
