package dev.mlops.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 item 1 as it happened: a flood of idle connections past the process's open-file limit. The server runs in
 * a child JVM under {@code ulimit -n 256} and must answer /health during and after the flood, whether its cap is
 * derived from the limit (the default) or set above it by mistake (then accept fails with EMFILE and must back off,
 * never die: before the fix the accept thread died of a NoClassDefFoundError and /health timed out forever).
 */
class FileLimitTest {
    static final int FILE_LIMIT = 256;
    static final int FLOOD = 600;

    @Test
    @Timeout(120)
    void aFloodPastTheFileLimitWithTheDerivedCap() throws Exception {
        flood(0);
    }

    @Test
    @Timeout(120)
    void aFloodPastTheFileLimitWithACapAboveIt() throws Exception {
        flood(5000);
    }

    private static void flood(int maxConnections) throws Exception {
        Path log = Files.createTempFile("serve-child", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -n " + FILE_LIMIT + " && exec '" + java + "' -Xmx96m -cp '" + System.getProperty("java.class.path")
                + "' " + ServeChild.class.getName() + " '" + Models.linear() + "' " + maxConnections;
        Process child = new ProcessBuilder("bash", "-c", cmd).redirectError(log.toFile()).start();
        List<SocketChannel> conns = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child said: " + Files.readString(log)).isNotNull().startsWith("port ");
            int port = Integer.parseInt(first.substring("port ".length()).trim());

            conns = Sockets.open(port, FLOOD);
            assertThat(conns.size()).as("connections the kernel took").isGreaterThan(FILE_LIMIT);
            Thread.sleep(1000);
            String during = Sockets.healthWithin(port, Duration.ofSeconds(20));
            Sockets.closeAll(conns);
            String after = Sockets.healthWithin(port, Duration.ofSeconds(20));
            String childLog = Files.readString(log);
            assertThat(after).as("/health after the flood; child log:\n" + childLog).startsWith("HTTP/1.1 200");
            assertThat(during).as("/health during the flood; child log:\n" + childLog).startsWith("HTTP/1.1 200");
            assertThat(childLog).doesNotContain("Exception in thread").doesNotContain("NoClassDefFoundError");
            assertThat(child.isAlive()).isTrue();
        } finally {
            if (conns != null) {
                Sockets.closeAll(conns);
            }
            child.getOutputStream().close();
            if (!child.waitFor(15, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
