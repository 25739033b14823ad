package dev.flat.cli.live;

import dev.flat.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/**
 * A two-namespace lab: client namespace with veth {@code flv-c} (10.77.0.1, fd00:77::1) and server
 * namespace with {@code flv-s} (10.77.0.2, fd00:77::2). All traffic stays inside them. Helpers
 * to run tools in a namespace and {@code flat} itself in-process or as a real subprocess.
 */
final class Lab implements AutoCloseable {
    static final String CLIENT_NS = "flatlv-c";
    static final String SERVER_NS = "flatlv-s";
    static final String CLIENT_IF = "flv-c";
    static final String SERVER_IF = "flv-s";
    static final String CLIENT_V4 = "10.77.0.1";
    static final String SERVER_V4 = "10.77.0.2";
    static final String CLIENT_V6 = "fd00:77::1";
    static final String SERVER_V6 = "fd00:77::2";

    private final List<Process> background = new ArrayList<>();

    private Lab() {}

    /** Skips without root, fails instead when FLAT_REQUIRE_PRIVILEGED=1. */
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "1".equals(System.getenv("FLAT_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("the live lab needs root, but FLAT_REQUIRE_PRIVILEGED=1");
        }
        Assumptions.assumeTrue(root, "the live lab needs root (network namespaces, eBPF)");
    }

    static Lab up() throws Exception {
        requireRoot();
        Lab lab = new Lab();
        lab.down();
        sh("ip netns add " + CLIENT_NS);
        sh("ip netns add " + SERVER_NS);
        sh("ip link add " + CLIENT_IF + " netns " + CLIENT_NS + " type veth peer name " + SERVER_IF + " netns " + SERVER_NS);
        for (String[] side : new String[][] {{CLIENT_NS, CLIENT_IF, CLIENT_V4, CLIENT_V6}, {SERVER_NS, SERVER_IF, SERVER_V4, SERVER_V6}}) {
            sh("ip -n " + side[0] + " addr add " + side[2] + "/24 dev " + side[1]);
            // nodad: the address is usable at once instead of after duplicate address detection.
            sh("ip -n " + side[0] + " addr add " + side[3] + "/64 dev " + side[1] + " nodad");
            sh("ip -n " + side[0] + " link set " + side[1] + " up");
            sh("ip -n " + side[0] + " link set lo up");
        }
        return lab;
    }

    /** Starts a long-running tool (a server) in a namespace; stopped on close. */
    Process start(String ns, String... command) throws IOException {
        Process p = new ProcessBuilder(inNs(ns, command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        background.add(p);
        return p;
    }

    /** Starts {@code flat ARGS} as a real JVM in a namespace; stderr readable line by line. */
    static Process startFlat(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(flatCommand(List.of(), args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** {@code java JVM_OPTIONS ... dev.flat.cli.Main ARGS} with this test's class path. */
    static List<String> flatCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Reads the process's stderr until a line contains {@code marker}; returns what was read. */
    static String awaitLine(Process p, String marker, long timeoutMs) throws Exception {
        return Watched.of(p).await(marker, timeoutMs);
    }

    /** Runs a command in a namespace and waits for it; returns its output. */
    static String exec(String ns, String... command) throws Exception {
        return run(inNs(ns, command));
    }

    static String sh(String command) throws Exception {
        return run(List.of("sh", "-c", command));
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    static void signal(Process p, String signal) throws Exception {
        run(List.of("kill", "-" + signal, Long.toString(p.pid())));
    }

    /** {@code flat ARGS} in this JVM: exit code, stdout, stderr. */
    static String[] flat(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static List<String> inNs(String ns, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(command));
        return all;
    }

    /** Surefire's full test class path (java.class.path is only its booter jar). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void down() throws Exception {
        sh("ip netns del " + CLIENT_NS + " 2>/dev/null; ip netns del " + SERVER_NS + " 2>/dev/null; true");
    }

    @Override
    public void close() throws Exception {
        for (Process p : background) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        down();
    }
}
