package dev.mlops.jenkins.hpi;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import dev.mlops.jenkins.actions.GateAction;
import dev.mlops.jenkins.actions.ReleaseAction;
import dev.mlops.jenkins.actions.TrainAction;
import dev.mlops.jenkins.steps.BlueGreenDeployStep;
import dev.mlops.jenkins.steps.MlGateStep;
import dev.mlops.jenkins.steps.MlTrainStep;
import hudson.FilePath;
import hudson.model.Result;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.io.File;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each step in a real Jenkins (JenkinsRule), as a WorkflowJob with a CpsFlowDefinition on the bundled example, on the
 * built-in node. Part of the real .hpi build (jenkins-plugin/hpi/pom.xml), which needs the Jenkins Maven repository.
 */
@WithJenkins
class MlopsStepsJenkinsTest {
    static final File EXAMPLE = new File("../../examples/breast-cancer");

    private static WorkflowJob job(JenkinsRule r, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p" + r.jenkins.getItems().size());
        p.setDefinition(new CpsFlowDefinition(script, true));
        FilePath ws = r.jenkins.getWorkspaceFor(p);
        new FilePath(EXAMPLE).copyRecursiveTo("**/*", "out/**,mlruns/**,.mlops/**", ws);
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void trainReturnsItsResultAndShowsItOnTheBuild(JenkinsRule r) throws Exception {
        WorkflowRun b = r.buildAndAssertSuccess(job(r, """
                node {
                  def t = mlTrain()
                  echo "trained ${t.algorithm} run ${t.runId} accuracy ${t.metrics.accuracy}"
                }"""));
        r.assertLogContains("[mlops] mlops train --json -f mlops.yaml", b);
        r.assertLogContains("trained logistic run ", b);
        assertThat(b.getAction(TrainAction.class).getKeyMetrics()).startsWith("accuracy 0.99");
    }

    @Test
    void aFailedGateFailsTheBuildWithItsReasonsOrMakesItUnstable(JenkinsRule r) throws Exception {
        WorkflowRun failed = r.buildAndAssertStatus(Result.FAILURE, job(r, """
                node {
                  mlTrain()
                  def g = mlGate(set: ['gate.metrics.accuracy.min=0.999'])
                }"""));
        r.assertLogContains("ERROR: mlGate: gate failed: accuracy: accuracy 0.9911504425 is below the minimum 0.999.", failed);
        r.assertLogNotContains("\tat ", failed);
        assertThat(failed.getAction(GateAction.class).isPassed()).isFalse();

        WorkflowRun unstable = r.buildAndAssertStatus(Result.UNSTABLE, job(r, """
                node {
                  mlTrain()
                  def g = mlGate(set: ['gate.metrics.accuracy.min=0.999'], onViolation: 'unstable')
                  junit g.junitXml
                  echo "passed=${g.passed}"
                }"""));
        r.assertLogContains("passed=false", unstable);
    }

    @Test
    void deployAndRollbackOnTheLocalTarget(JenkinsRule r) throws Exception {
        int port = freePort();
        String fast = "['deploy.port=" + port + "', 'deploy.stagingPort=" + freePort() + "', 'deploy.verifySeconds=1', 'deploy.smokeLatencyBudgetMs=10000']";
        WorkflowRun b = r.buildAndAssertSuccess(job(r, """
                node {
                  mlTrain()
                  def v = mlRegister().version
                  def rel = blueGreenDeploy(modelVersion: v, set: %s)
                  echo "release ${rel.release.id} on ${rel.trafficOn}"
                  mlRegister()
                  blueGreenDeploy(modelVersion: '2', set: %s)
                  def back = mlRollback(set: %s)
                  echo "rolled back to v${back.release.modelVersion}"
                  sh 'java -cp "$(ls -d ../../tools/mlops-cli/*/lib)/*" dev.mlops.cli.Main stop -f mlops.yaml --set deploy.port=%d || true'
                }""".formatted(fast, fast, fast, port)));
        r.assertLogContains("release ", b);
        r.assertLogContains("rolled back to v1", b);
        assertThat(b.getActions(ReleaseAction.class)).hasSize(3);
    }

    @Test
    void secretsNeverReachTheLog(JenkinsRule r) throws Exception {
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new StringCredentialsImpl(CredentialsScope.GLOBAL, "tok", "", Secret.fromString("s3cr3t-t0ken")));
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "up", "", "bob", "hunter2-pw"));
        WorkflowRun b = r.buildAndAssertSuccess(job(r, """
                node {
                  def t = mlTrain(mlflowCredentialsId: 'tok', set: ['tracking.experiment=s3cr3t-t0ken'])
                  echo "result ${t}"
                }"""));
        r.assertLogNotContains("s3cr3t-t0ken", b);
        WorkflowRun wrong = r.buildAndAssertStatus(Result.FAILURE, job(r, "node { blueGreenDeploy(modelVersion: '1', kubeconfigCredentialsId: 'up') }"));
        r.assertLogContains("blueGreenDeploy: kubeconfigCredentialsId 'up' is a Username with password credential", wrong);
        r.assertLogNotContains("hunter2-pw", wrong);
    }

    @Test
    void aSpecOutsideTheWorkspaceOrAnUnknownParameterFailsWithOneLine(JenkinsRule r) throws Exception {
        WorkflowRun outside = r.buildAndAssertStatus(Result.FAILURE, job(r, "node { mlTrain(spec: '../x.yaml') }"));
        r.assertLogContains("ERROR: mlTrain: spec '../x.yaml' points outside the workspace", outside);
        WorkflowRun unknown = r.buildAndAssertStatus(Result.FAILURE, job(r, "node { mlTrain(sepc: 'mlops.yaml') }"));
        r.assertLogContains("sepc", unknown);
    }

    @Test
    void theSnippetGeneratorRoundTripsEveryStep(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        st.assertRoundTrip(new MlTrainStep(), "mlTrain()");
        MlGateStep gate = new MlGateStep();
        gate.setOnViolation("unstable");
        gate.setSet(List.of("gate.metrics.accuracy.min=0.95"));
        st.assertRoundTrip(gate, "mlGate onViolation: 'unstable', set: ['gate.metrics.accuracy.min=0.95']");
        BlueGreenDeployStep deploy = new BlueGreenDeployStep("3");
        deploy.setEnvironment("staging");
        st.assertRoundTrip(deploy, "blueGreenDeploy environment: 'staging', modelVersion: '3'");
        r.assertEqualDataBoundBeans(deploy, new StepConfigTester(r).configRoundTrip(deploy));
        r.assertEqualDataBoundBeans(gate, new StepConfigTester(r).configRoundTrip(gate));
    }
}
