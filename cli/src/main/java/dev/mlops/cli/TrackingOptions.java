package dev.mlops.cli;

import picocli.CommandLine.Option;

/** Which tracking store; credentials come from the environment (see {@link Cli}), never from options. */
public final class TrackingOptions {
    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Override tracking.uri: a folder (MLflow file layout) or http(s)://host:port of an MLflow server.")
    String uri;
}
