package dev.mlops.jenkins.library

/** What the error step throws in these tests, as Jenkins' error step fails the build with its message. */
class PipelineError extends RuntimeException {
    PipelineError(String message) {
        super(message)
    }
}
