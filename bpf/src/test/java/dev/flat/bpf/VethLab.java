package dev.flat.bpf;

import java.io.IOException;

/**
 * A veth pair for one test: {@code host} stays in flat's (the JVM's) namespace with 10.X.Y.1 and
 * fd00:X:Y::1, its peer lives in a fresh namespace with .2 / ::2 where the test's traffic comes
 * from. Closing deletes the namespace, which deletes both veth ends.
 */
final class VethLab implements AutoCloseable {
    private static int counter;

    final String namespace;
    final String host;
    final String peer;
    final String hostV4;
    final String peerV4;
    final String hostV6;

    VethLab() throws IOException {
        this("flatb", "fb");
    }

    /**
     * A lab whose namespace and veth names start with the given prefixes (then the JVM's pid mod
     * 10000 and a counter), so that a test's leftovers are recognisable as its own.
     */
    VethLab(String namespacePrefix, String linkPrefix) throws IOException {
        int id = nextId();
        long pid = ProcessHandle.current().pid() % 10000;
        namespace = namespacePrefix + pid + "n" + id;
        host = linkPrefix + pid + "h" + id;
        peer = linkPrefix + pid + "p" + id;
        int net = (int) (pid % 200) + 20;
        hostV4 = "10." + net + "." + id + ".1";
        peerV4 = "10." + net + "." + id + ".2";
        hostV6 = "fd00:" + net + ":" + id + "::1";
        String peerV6 = "fd00:" + net + ":" + id + "::2";
        Shell.run("ip", "netns", "add", namespace);
        try {
            Shell.run("ip", "link", "add", host, "type", "veth", "peer", "name", peer, "netns", namespace);
            Shell.run("ip", "addr", "add", hostV4 + "/24", "dev", host);
            Shell.run("ip", "-6", "addr", "add", hostV6 + "/64", "dev", host, "nodad");
            Shell.run("ip", "link", "set", host, "up");
            inNamespace("ip", "addr", "add", peerV4 + "/24", "dev", peer);
            inNamespace("ip", "-6", "addr", "add", peerV6 + "/64", "dev", peer, "nodad");
            inNamespace("ip", "link", "set", peer, "up");
            inNamespace("ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static synchronized int nextId() {
        return ++counter;
    }

    int hostIfindex() throws IOException {
        return Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", host, "ifindex")).trim());
    }

    /** Runs a command inside the lab's namespace. */
    String inNamespace(String... command) throws IOException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return Shell.run(full);
    }

    @Override
    public void close() throws IOException {
        Shell.exec("ip", "link", "del", host);
        Shell.exec("ip", "netns", "del", namespace);
    }
}
