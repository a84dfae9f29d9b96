package dev.mlops.jenkins.config;

import hudson.util.FormValidation;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The form checks behind every step's and the global configuration's {@code doCheck...} methods, and the same rules as
 * run-time errors, so the Snippet Generator and a failing build say the same thing.
 */
public final class FormChecks {
    private FormChecks() {
    }

    /** A path inside the workspace: relative, never climbing out with "..". */
    public static FormValidation workspacePath(String value, boolean required, String example) {
        if (value == null || value.isBlank()) {
            return required ? FormValidation.error("Required, e.g. " + example) : FormValidation.ok();
        }
        String problem = workspacePathProblem(value.trim());
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    public static String workspacePathProblem(String value) {
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            return "Not a valid path: " + e.getReason();
        }
        if (p.isAbsolute() || value.startsWith("/") || value.startsWith("\\")) {
            return "Must be relative to the workspace, not an absolute path";
        }
        if (p.normalize().startsWith("..")) {
            return "Must stay inside the workspace (no leading ..)";
        }
        return null;
    }

    /** A folder (MLflow file layout) or an http(s) MLflow server, never with credentials in it. */
    public static FormValidation trackingUri(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok("Default: the global setting, else tracking.uri of the spec");
        }
        String problem = trackingUriProblem(value.trim());
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    public static String trackingUriProblem(String value) {
        if (!value.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            return null; // a folder
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "Not a valid URI: " + e.getReason();
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("http", "https", "file").contains(scheme)) {
            return "Use a folder, file:, http:// or https://, not " + scheme + ":";
        }
        if (uri.getRawUserInfo() != null) {
            return "Do not put credentials in the URI: they would show in logs; use the MLflow credentials field";
        }
        return null;
    }

    public static FormValidation oneOf(String value, List<String> allowed) {
        if (value == null || value.isBlank() || allowed.contains(value.trim())) {
            return FormValidation.ok();
        }
        return FormValidation.error("One of " + String.join(", ", allowed));
    }

    /** A registered model version number. */
    public static FormValidation modelVersion(String value, boolean required) {
        if (value == null || value.isBlank()) {
            return required ? FormValidation.error("Required: the registered model version to deploy, e.g. 3")
                    : FormValidation.ok();
        }
        return value.trim().matches("[0-9]+") ? FormValidation.ok()
                : FormValidation.warning("Model versions are numbers; '" + value.trim() + "' is passed on as given");
    }

    /** previous, a release id from the ledger, or a model version. */
    public static FormValidation rollbackTo(String value) {
        if (value == null || value.isBlank()) {
            return FormValidation.ok("Default: previous");
        }
        return value.trim().matches("[A-Za-z0-9._:-]+") ? FormValidation.ok()
                : FormValidation.error("previous, a release id or a model version");
    }
}
