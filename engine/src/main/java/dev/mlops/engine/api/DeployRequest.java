package dev.mlops.engine.api;

import dev.mlops.engine.InputException;

import java.util.List;

/**
 * {@code mlops deploy}: a blue-green release of {@code modelVersion}. {@code modelName} defaults to
 * {@code tracking.registeredModel}, {@code image} to {@code deploy.image} tagged with the git SHA, {@code modelRef}
 * to {@code models:/<name>/<version>}.
 */
public final class DeployRequest extends ReleaseRequest<DeployRequest> {
    private static final long serialVersionUID = 1L;

    private final String modelVersion;
    private String image;
    private String modelName;
    private String modelRef;
    private String gitSha;

    public DeployRequest(String modelVersion) {
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new InputException("deploy: a model version is required");
        }
        this.modelVersion = modelVersion.trim();
    }

    public DeployRequest withImage(String v) {
        return copy(c -> ((DeployRequest) c).image = v);
    }

    public DeployRequest withModelName(String v) {
        return copy(c -> ((DeployRequest) c).modelName = v);
    }

    public DeployRequest withModelRef(String v) {
        return copy(c -> ((DeployRequest) c).modelRef = v);
    }

    public DeployRequest withGitSha(String v) {
        return copy(c -> ((DeployRequest) c).gitSha = v);
    }

    public String modelVersion() {
        return modelVersion;
    }

    public String image() {
        return image;
    }

    public String modelName() {
        return modelName;
    }

    public String modelRef() {
        return modelRef;
    }

    public String gitSha() {
        return gitSha;
    }

    @Override
    List<Object> values() {
        List<Object> v = super.values();
        v.addAll(java.util.Arrays.asList(modelVersion, image, modelName, modelRef, gitSha));
        return v;
    }
}
