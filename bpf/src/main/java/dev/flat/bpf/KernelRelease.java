package dev.flat.bpf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's release ("6.1.0-18-amd64"), for feature checks and messages. */
record KernelRelease(String text, int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** uname -r as the JVM reports it (os.version); 0.0 when it cannot be parsed. */
    static KernelRelease running() {
        return parse(System.getProperty("os.version", ""));
    }

    static KernelRelease parse(String release) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) {
            return new KernelRelease(release, 0, 0);
        }
        return new KernelRelease(release, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    boolean known() {
        return major > 0;
    }
}
