package dev.mlops.serve.proxy;

import java.nio.file.Path;
import java.util.List;

/** The commands tests give the local target: the fake model server and the real proxy, each as its own JVM. */
final class LocalCommands {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CP = System.getProperty("java.class.path");

    private LocalCommands() {
    }

    /** {@code {image}} is passed to the fake as --fail-predict: "true" breaks /predict, "crash" exits at start. */
    static List<String> fakeServer() {
        return List.of(JAVA, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", CP, FakeModelServer.class.getName(),
                "--port", "{port}", "--version", "{version}", "--fail-predict", "{image}");
    }

    static List<String> proxy() {
        return List.of(JAVA, "-Xmx128m", "-cp", CP, ProxyMain.class.getName(), "--port", "{port}",
                "--admin-port", "{adminPort}", "--upstream", "{upstream}", "--state-dir", "{stateDir}");
    }
}
