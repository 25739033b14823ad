package dev.flat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code flat ARGS} as a real JVM (java dev.flat.cli.Main), for what only a process has: signals, a closed pipe. */
final class FlatProcess {
    private FlatProcess() {}

    /** Starts it with stdout a pipe the test reads and stderr into {@code stderr}. */
    static Process start(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Surefire's full test class path (java.class.path is only its booter jar).
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    /** {@code kill -SIG pid}: Process.destroy() can only send SIGTERM or SIGKILL. */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
        }
    }
}
