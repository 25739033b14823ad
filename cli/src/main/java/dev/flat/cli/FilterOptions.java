package dev.flat.cli;

import dev.flat.core.report.Address128;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** --host and --port; shared by analyze and the live commands. */
public final class FilterOptions {
    @Option(names = "--host", paramLabel = "ADDR", converter = AddressConverter.class,
            description = "Keep only packets from or to ADDR (IPv4 or IPv6 literal; repeatable).")
    List<Address128> hosts = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", converter = PortConverter.class,
            description = "Keep only tcp/udp packets from or to port N (repeatable; icmp has no ports).")
    List<Integer> ports = new ArrayList<>();

    public List<Address128> hosts() { return hosts; }

    public Set<Integer> ports() { return new LinkedHashSet<>(ports); }

    /** A TCP/UDP port number, 0..65535. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            try {
                int p = Integer.parseInt(text.trim());
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + text + "' is not a port number (0..65535)");
        }
    }
}
