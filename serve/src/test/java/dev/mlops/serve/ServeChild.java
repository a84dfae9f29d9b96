package dev.mlops.serve;

import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;

import java.nio.file.Path;

/**
 * A model server in its own JVM for tests that need process limits (a low {@code ulimit -n}): args are the model
 * file and --max-connections (0 = derived). Prints {@code port N} once listening and stops when stdin closes.
 */
public final class ServeChild {
    private ServeChild() {
    }

    public static void main(String[] args) throws Exception {
        ServedModel model = new ServedModel(ModelArtifact.load(Path.of(args[0])), null, "7", "child");
        ServeConfig config = ServeConfig.forTests().withConnections(
                new ServeConfig.Connections(Integer.parseInt(args[1]), null, null, null));
        Log log = new Log() {
            @Override
            public void info(String message) {
                System.err.println(message);
            }

            @Override
            public void warn(String message) {
                System.err.println("warning: " + message);
            }
        };
        ModelServer server = new ModelServer(model, config, log).start();
        System.out.println("port " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close stdin (or die)
        }
        server.stop();
    }
}
