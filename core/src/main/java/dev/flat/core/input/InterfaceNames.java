package dev.flat.core.input;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ifindex → interface name, for reports. Index 0 means unknown and never has a name. A reader
 * thread may add names while another thread labels the events read before (flat analyze reads
 * and reports on two threads), hence a concurrent map.
 */
public final class InterfaceNames {
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    public void put(long ifindex, String name) {
        if (ifindex != 0 && name != null && !name.isEmpty()) {
            names.put(ifindex, name);
        }
    }

    /** The name if known, else the number as text, else "" for 0 (unknown). */
    public String label(long ifindex) {
        if (ifindex == 0) {
            return "";
        }
        String n = names.get(ifindex);
        return n != null ? n : Long.toString(ifindex);
    }

    public void putAll(InterfaceNames other) { names.putAll(other.names); }
}
