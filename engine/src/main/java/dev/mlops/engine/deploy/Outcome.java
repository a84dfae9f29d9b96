package dev.mlops.engine.deploy;

/** Where a release ended up. */
public enum Outcome {
    /** Written before the idle color is touched; a run that dies leaves this behind for the next run to clean. */
    IN_PROGRESS,
    /** Verified and serving (or served until a newer release replaced it). */
    SUCCEEDED,
    /** Failed before or after the switch; traffic stayed on, or went back to, the previous color. */
    FAILED,
    /** Was serving, then a rollback moved traffic away from it. */
    ROLLED_BACK,
    /** A run died while working on it; the next run cleaned it up. */
    INTERRUPTED,
    /** Stopped by an interrupt or an abort request; traffic stayed on, or went back to, the previous color. */
    ABORTED,
    /** Failed after the switch and switching back failed too: traffic stays on this release's color. */
    SWITCH_BACK_FAILED
}
