package dev.mlops.serve;

import java.lang.management.ManagementFactory;

/**
 * The process's open-file limit and use, where the platform tells them (Linux, macOS), and the connection cap they
 * allow: every connection holds one descriptor, and the JVM needs some for jars, the model, event loops and logs.
 *
 * @param limit the open-file limit ({@code ulimit -n}), or -1 if unknown
 * @param open  descriptors open now, or -1 if unknown
 */
record FileLimits(long limit, long open) {
    /** Descriptors left for the JVM beyond those open at start: a tenth of the limit, at least 64. */
    static long headroom(long limit) {
        return Math.max(64, limit / 10);
    }

    static FileLimits current() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return new FileLimits(os.getMaxFileDescriptorCount(), os.getOpenFileDescriptorCount());
        }
        return new FileLimits(-1, -1);
    }

    /** The configured cap, or for 0 the derived one: what the limit leaves after headroom, at most 10,000. */
    int connectionCap(int configured) {
        if (configured > 0) {
            return configured;
        }
        int max = ServeConfig.Connections.AUTO_MAX_CONNECTIONS;
        if (limit <= 0) {
            return max;
        }
        long room = limit - Math.max(0, open) - headroom(limit);
        return (int) Math.max(1, Math.min(max, room));
    }

    /** Whether {@code cap} connections fit in the limit with the headroom left. */
    boolean fits(int cap) {
        return limit <= 0 || cap <= limit - Math.max(0, open) - headroom(limit);
    }

    String describe() {
        return limit > 0 ? "; open-file limit " + limit + ", " + open + " open" : "";
    }
}
