package dev.mlops.engine.ci;

/**
 * Every third-party action a generated workflow uses, pinned to the full commit of a release (a tag can be moved;
 * a commit cannot). The version each commit is, is in the step's name. Update them together, here.
 */
final class Pins {
    static final Pin CHECKOUT = new Pin("actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2");
    static final Pin SETUP_JAVA = new Pin("actions/setup-java", "c5195efecf7bdfc987ee8bae7a71cb8b11521c00", "v4.7.1");
    static final Pin CACHE = new Pin("actions/cache", "5a3ec84eff668545956fd18022155c47e93e2684", "v4.2.3");
    static final Pin UPLOAD = new Pin("actions/upload-artifact", "ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2");
    static final Pin DOWNLOAD = new Pin("actions/download-artifact", "d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0");
    static final Pin BUILDX = new Pin("docker/setup-buildx-action", "b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2", "v3.10.0");
    static final Pin LOGIN = new Pin("docker/login-action", "74a5d142397b4f367a81961eba4e8cd7edddf772", "v3.4.0");
    static final Pin METADATA = new Pin("docker/metadata-action", "902fa8ec7d6ecbf8d84d538b9b233a880e428804", "v5.7.0");
    static final Pin BUILD_PUSH = new Pin("docker/build-push-action", "263435318d21b8e681c14492fe198d362a7d2c83", "v6.18.0");
    static final Pin TRIVY = new Pin("aquasecurity/trivy-action", "18f2510ee396bbf400402947b394f2dd8c87dbb0", "0.29.0");
    static final Pin SARIF = new Pin("github/codeql-action/upload-sarif", "ff0a06e83cb2de871e5a09832bc6a81e7276941f", "v3.28.18");

    private Pins() {
    }

    record Pin(String action, String commit, String version) {
        String uses() {
            return action + "@" + commit;
        }

        /** A step name that says which release the pinned commit is. */
        String named(String what) {
            return what + " (" + action + " " + version + ")";
        }
    }
}
