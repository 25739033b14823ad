package dev.flat.cli;

import dev.flat.core.report.Address128;
import dev.flat.core.report.AddressText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An IPv4 or IPv6 address literal; host names are refused (no DNS lookups from a latency tool). */
public final class AddressConverter implements ITypeConverter<Address128> {
    @Override
    public Address128 convert(String text) {
        try {
            return AddressText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
