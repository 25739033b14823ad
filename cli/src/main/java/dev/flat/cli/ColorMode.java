package dev.flat.cli;

import dev.flat.core.report.Ansi;

/** {@code --color auto|always|never}. */
public enum ColorMode {
    AUTO, ALWAYS, NEVER;

    /** Lower-case names on the command line, as --help spells them. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<ColorMode> {
        @Override
        public ColorMode convert(String text) {
            for (ColorMode m : values()) {
                if (m.name().equalsIgnoreCase(text)) {
                    return m;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + text + "' is not one of auto, always, never");
        }
    }

    /**
     * auto colours only a terminal (System.console() is null when stdout or stdin is redirected)
     * and only when NO_COLOR is unset or empty (https://no-color.org).
     */
    public Ansi resolve(boolean toStdout) {
        return switch (this) {
            case ALWAYS -> Ansi.ON;
            case NEVER -> Ansi.OFF;
            case AUTO -> {
                String noColor = System.getenv("NO_COLOR");
                boolean terminal = toStdout && System.console() != null;
                yield terminal && (noColor == null || noColor.isEmpty()) ? Ansi.ON : Ansi.OFF;
            }
        };
    }
}
