package dev.mlops.engine.ci;

/**
 * What a generated pipeline is made from: the spec (as a path inside the repository, forward slashes), the values of
 * the spec it needs, and the generator's options.
 *
 * @param spec            the spec's path relative to the repository root, e.g. {@code examples/breast-cancer/mlops.yaml}
 * @param app             {@code deploy.app}
 * @param kubernetes      {@code deploy.target} is {@code kubernetes} (else {@code local})
 * @param image           {@code deploy.image} without a tag: the registry repository builds push to
 * @param cli             where jobs get the {@code mlops} command from
 * @param testCommand     the repository's own build and unit tests (null: no unit-test job)
 * @param coverageReport  a coverage file the test command writes (JaCoCo or Cobertura XML), or null
 * @param dockerfile      the model-server image's Dockerfile, relative to the repository root
 * @param jobImage        GitLab: the default image of jobs (Docker runners), or null for the runner's own
 * @param command         the command line that generated the files, for their header
 */
record CiSettings(String spec, String app, boolean kubernetes, String image, CliSource cli, String testCommand,
                  String coverageReport, String dockerfile, String jobImage, String command) {

    /** The folder of the spec, relative to the repository root ({@code .} at the root). */
    String specDir() {
        int slash = spec.lastIndexOf('/');
        return slash < 0 ? "." : spec.substring(0, slash);
    }

    /** The spec's default output folder ({@code out/} next to it), where reports land. */
    String out() {
        return specDir().equals(".") ? "out" : specDir() + "/out";
    }

    /** Where jobs keep the {@code --json} results they pass on: one file per step. */
    String results() {
        return out() + "/ci";
    }

    /** The registry host of {@code image} (its first path segment). */
    String registry() {
        return image.substring(0, image.indexOf('/'));
    }

    /**
     * Where jobs get {@code mlops}: built from the repository being built ({@code build}: the mlops repository itself)
     * or the pinned release {@code version} of the mlops distribution.
     */
    record CliSource(boolean build, String version) {
        static CliSource fromBuild(String version) {
            return new CliSource(true, version);
        }

        static CliSource release(String version) {
            return new CliSource(false, version);
        }
    }
}
