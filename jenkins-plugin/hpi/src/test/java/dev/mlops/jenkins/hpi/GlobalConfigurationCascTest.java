package dev.mlops.jenkins.hpi;

import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import org.junit.Rule;
import org.junit.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Manage Jenkins > System > mlops is settable by Configuration as Code (unclassified: mlops: ...). */
public class GlobalConfigurationCascTest {
    @Rule
    public JenkinsConfiguredWithCodeRule r = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("casc.yaml")
    public void defaultsComeFromConfigurationAsCode() throws Exception {
        MlopsGlobalConfiguration c = MlopsGlobalConfiguration.get();
        assertThat(c.getTrackingUri()).isEqualTo("https://mlflow.example:5000");
        assertThat(c.getMlflowCredentialsId()).isEqualTo("mlflow-token");
        assertThat(c.getKubeconfigCredentialsId()).isEqualTo("prod-kubeconfig");
        r.configRoundtrip();
        assertThat(MlopsGlobalConfiguration.get().getTrackingUri()).isEqualTo("https://mlflow.example:5000");
    }
}
