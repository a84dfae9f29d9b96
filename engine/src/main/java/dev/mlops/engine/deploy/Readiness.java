package dev.mlops.engine.deploy;

/** One look at a rollout: done, still going (with what is missing), or hopeless (with the pod's own reason). */
public record Readiness(State state, String detail) {
    public enum State { READY, PENDING, HOPELESS }

    public static Readiness ready(String detail) {
        return new Readiness(State.READY, detail);
    }

    public static Readiness pending(String detail) {
        return new Readiness(State.PENDING, detail);
    }

    public static Readiness hopeless(String detail) {
        return new Readiness(State.HOPELESS, detail);
    }
}
