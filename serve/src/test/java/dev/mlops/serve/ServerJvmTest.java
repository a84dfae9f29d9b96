package dev.mlops.serve;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The one file of model-server JVM flags: what the Java side reads is what the java launcher reads. */
class ServerJvmTest {
    @Test
    void theFlagsAreTheServersAndTheJavaLauncherTakesTheFileAsAnArgfile() throws Exception {
        assertThat(ServerJvm.flags()).contains("-XX:+UseSerialGC", "-Xmx160m", "-Dio.netty.allocator.numDirectArenas=1")
                .allSatisfy(f -> assertThat(f).startsWith("-").doesNotContain("#").doesNotContainAnyWhitespaces());
        Path file = Path.of(ServerJvm.class.getResource("jvm.options").toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "@" + file, "-XX:+PrintCommandLineFlags", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("-XX:+UseSerialGC").contains("-XX:MaxHeapSize=" + 160L * 1024 * 1024)
                .contains("-XX:MaxDirectMemorySize=" + 64L * 1024 * 1024);
    }
}
