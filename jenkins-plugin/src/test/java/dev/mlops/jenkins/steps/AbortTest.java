package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.actions.TrainAction;
import dev.mlops.jenkins.testing.StepHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Aborting the build stops the work: the child JVM (and everything it started) is gone, the step ends with the cause. */
class AbortTest {
    @TempDir
    Path tmp;

    @Test
    void abortingTrainingKillsTheChildAndFailsTheStepWithTheAbortCause() throws Exception {
        StepHarness h = new StepHarness(tmp);
        MlTrainStep step = new MlTrainStep();
        // A grid large enough that training is still running when the build is aborted.
        step.setSet(List.of("model.grid.C=[0.001,0.003,0.01,0.03,0.1,0.3,1,3,10,30,100,300]", "model.folds=10",
                "model.algorithm=logistic"));
        StepHarness.Started started = h.start(step);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!h.log().contains("grid:") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(h.log()).contains("grid:");
        assertThat(children(h)).isNotEmpty();

        InterruptedException cause = new InterruptedException("aborted by tester");
        started.execution().stop(cause);
        assertThatThrownBy(() -> started.context().outcome().get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(cause);
        assertThat(children(h)).as("no mlops JVM of this agent is left running").isEmpty();
        assertThat(h.run.getAction(TrainAction.class)).isNull();
        assertThat(h.log()).doesNotContain("trained logistic");
    }

    /** Live processes started from this agent's installation of the command line. */
    static List<ProcessHandle> children(StepHarness h) {
        String marker = h.agentRoot.resolve("tools").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }
}
