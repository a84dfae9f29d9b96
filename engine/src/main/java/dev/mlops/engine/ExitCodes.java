package dev.mlops.engine;

/** Process exit codes shared by every front end. */
public final class ExitCodes {
    /** Everything passed. */
    public static final int OK = 0;
    /** A gate failed, or a deploy failed and traffic was kept on (or returned to) the healthy version. */
    public static final int FAILED = 1;
    /** Bad input or usage: a file, field or option is wrong. Nothing was written. */
    public static final int INPUT = 2;
    /** Infrastructure trouble: a server, cluster or lock stood in the way. Safe to retry. */
    public static final int INFRA = 3;

    private ExitCodes() {
    }
}
