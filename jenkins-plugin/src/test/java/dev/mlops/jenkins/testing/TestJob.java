package dev.mlops.jenkins.testing;

import hudson.model.Job;

public final class TestJob extends Job<TestJob, TestRun> {
    public TestJob() {
        super(null, "p");
    }
}
