package dev.mlops.engine.deploy;

/**
 * One line of the deploy ledger: what was deployed where, by whom, and how it ended. Times are ISO-8601 UTC text so
 * the ledger is readable in a ConfigMap or a file. {@code kind} is {@code deploy} or {@code rollback};
 * {@code previousRelease} is the release that was serving before this one (null on the first deploy);
 * {@code alias} is the registry alias this release moved (null: none).
 */
public record Release(String id, String kind, String app, Color color, String image, String modelName,
                      String modelVersion, String modelRef, String gitSha, String who, String buildUrl,
                      String startedAt, String finishedAt, Outcome outcome, String reason, String previousRelease,
                      String alias) {

    public Release withOutcome(Outcome o, String why, String finished) {
        return new Release(id, kind, app, color, image, modelName, modelVersion, modelRef, gitSha, who, buildUrl,
                startedAt, finished, o, why, previousRelease, alias);
    }
}
