package dev.mlops.cli.pod;

import dev.mlops.cli.EnvDefaults;
import dev.mlops.cli.ServeCommand;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.KubeObjects;
import dev.mlops.engine.deploy.KubeSettings;
import dev.mlops.engine.deploy.ModelDelivery;
import io.fabric8.kubernetes.api.model.EnvVar;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every MLOPS_ variable an image, a manifest or a generated Deployment sets is one `mlops serve` reads. */
class ServeVariablesTest {
    private static final Pattern VAR = Pattern.compile("\\bMLOPS_[A-Z_]+\\b");

    @Test
    void everyVariableSetForTheServerIsRead() throws Exception {
        Set<String> read = new TreeSet<>(EnvDefaults.variables(new CommandLine(new ServeCommand()).getCommandSpec()));
        Set<String> set = new TreeSet<>();
        for (String f : new String[]{"k8s/deployments.yaml", "Dockerfile", "Dockerfile.model"}) {
            Matcher m = VAR.matcher(Files.readString(DockerImage.REPO.resolve(f)));
            while (m.find()) {
                set.add(m.group());
            }
        }
        DeployConfig cfg = new DeployConfig("demo", "srv:1", "m", "1", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        for (KubeSettings s : new KubeSettings[]{KubeSettings.of("ml"),
                KubeSettings.of("ml").withModel(ModelDelivery.IMAGE, null, null),
                KubeSettings.of("ml").withModel(ModelDelivery.REGISTRY, null, "claim")}) {
            for (EnvVar e : KubeObjects.deployment("demo", Color.BLUE, cfg, "r1", s).getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getEnv()) {
                if (e.getName().startsWith("MLOPS_")) {
                    set.add(e.getName());
                }
            }
        }
        assertThat(set).contains("MLOPS_PORT", "MLOPS_MODEL", "MLOPS_MODEL_NAME", "MLOPS_MODEL_VERSION");
        assertThat(read).containsAll(set);
    }
}
