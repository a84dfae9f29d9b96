package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;

import java.util.Locale;

/**
 * How a pod gets its model. {@link #REGISTRY}: the one server image loads {@code models:/<name>/<version>} at start
 * (checked against the registry's SHA-256 tag), so a new model needs no image build, but every pod start needs the
 * registry. {@link #IMAGE}: an image per model with the file baked in ({@code Dockerfile.model}), so pods start with
 * no registry and no credentials in the cluster, at the cost of an image build and push per model version.
 */
public enum ModelDelivery {
    REGISTRY, IMAGE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "registry" or "image"; null gives the default, {@link #REGISTRY}. */
    public static ModelDelivery parse(String s, String where) {
        if (s == null || s.isBlank()) {
            return REGISTRY;
        }
        for (ModelDelivery d : values()) {
            if (d.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new InputException(where + " must be 'registry' or 'image', got '" + s + "'");
    }
}
