package dev.flat.cli;

import dev.flat.core.match.Kind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One of tcp, dns, udp, icmp (--kind splits the comma list first). */
public final class KindConverter implements ITypeConverter<Kind> {
    @Override
    public Kind convert(String text) {
        try {
            return Kind.fromLabel(text.trim());
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
