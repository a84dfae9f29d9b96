package dev.mlops.engine.api;

import java.io.Serializable;

/**
 * {@code mlops generate <platform>}: write a CI platform's pipeline for the spec. {@code platform}:
 * {@code github-actions} (workflows into the folder {@code out}, default {@code .github/workflows}) or
 * {@code gitlab-ci} (the file {@code out}, default {@code .gitlab-ci.yml}); paths relative to the working directory,
 * which is the repository's root. {@code cli}: {@code release} (default: jobs install the pinned
 * {@code mlopsVersion}) or {@code build} (jobs build mlops from the repository, as this one does).
 * {@code jobImage} (GitLab) is the jobs' default image. {@code force} overwrites files the generator did not write or that were edited since.
 */
public record GenerateRequest(String platform, String spec, String out, boolean force, String cli, String mlopsVersion,
                              String testCommand, String coverageReport, String dockerfile, String jobImage)
        implements Serializable {
    public GenerateRequest {
        Requests.requireSpec(spec);
    }

    public GenerateRequest(String platform, String spec) {
        this(platform, spec, null, false, null, null, null, null, null, null);
    }

    public GenerateRequest withOut(String v) {
        return new GenerateRequest(platform, spec, v, force, cli, mlopsVersion, testCommand, coverageReport, dockerfile, jobImage);
    }

    public GenerateRequest withForce(boolean v) {
        return new GenerateRequest(platform, spec, out, v, cli, mlopsVersion, testCommand, coverageReport, dockerfile, jobImage);
    }

    public GenerateRequest withCli(String v) {
        return new GenerateRequest(platform, spec, out, force, v, mlopsVersion, testCommand, coverageReport, dockerfile, jobImage);
    }

    public GenerateRequest withMlopsVersion(String v) {
        return new GenerateRequest(platform, spec, out, force, cli, v, testCommand, coverageReport, dockerfile, jobImage);
    }

    public GenerateRequest withTestCommand(String v) {
        return new GenerateRequest(platform, spec, out, force, cli, mlopsVersion, v, coverageReport, dockerfile, jobImage);
    }

    public GenerateRequest withCoverageReport(String v) {
        return new GenerateRequest(platform, spec, out, force, cli, mlopsVersion, testCommand, v, dockerfile, jobImage);
    }

    public GenerateRequest withDockerfile(String v) {
        return new GenerateRequest(platform, spec, out, force, cli, mlopsVersion, testCommand, coverageReport, v, jobImage);
    }

    /** GitLab: the default image of the pipeline's jobs (Java 17 and curl), for Docker runners. */
    public GenerateRequest withJobImage(String v) {
        return new GenerateRequest(platform, spec, out, force, cli, mlopsVersion, testCommand, coverageReport, dockerfile, v);
    }
}
