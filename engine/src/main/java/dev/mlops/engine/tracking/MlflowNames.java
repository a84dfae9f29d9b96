package dev.mlops.engine.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The metric, param and tag keys an MLflow 2.17 tracking server accepts, as {@code mlflow/utils/validation.py}
 * decides on a non-Windows server ({@code validate_param_and_metric_name}, {@code path_not_unique},
 * {@code MAX_ENTITY_KEY_LENGTH}): letters, digits, '_', '-', '.', ' ', ':' and '/' only (Python's Unicode {@code \w}:
 * letters, numbers and '_'), a name equal to its own {@code posixpath.normpath} (no empty, '.' or '..' segment, no
 * leading or trailing '/', nothing starting with '..'), at most 250 characters. Both stores refuse what this refuses,
 * so a run that works in the local store also works on a server.
 */
public final class MlflowNames {
    public static final int MAX_KEY_LENGTH = 250;

    /** MLflow's own wording, so a message reads the same from either store. */
    public static final String CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.),"
            + " spaces ( ), colon(:) and slashes (/).";

    // Python's '$' also matches before one final '\n', so MLflow takes "a\n"; kept so both stores agree with it.
    private static final Pattern ALLOWED = Pattern.compile("[/\\p{L}\\p{N}_.\\- :]*\n?");

    private MlflowNames() {
    }

    /** Why MLflow refuses {@code name} as a metric, param or tag key; empty when it accepts it. */
    public static Optional<String> problem(String name) {
        if (name == null) {
            return Optional.of("A key name must be provided.");
        }
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of(CHARACTERS);
        }
        String norm = normpath(name);
        if (!norm.equals(name) || norm.equals(".") || norm.startsWith("..") || norm.startsWith("/")) {
            return Optional.of("Names may be treated as files in certain cases, and must not resolve to other names"
                    + " when treated as such. This name would resolve to '" + norm + "'");
        }
        if (name.codePointCount(0, name.length()) > MAX_KEY_LENGTH) {
            return Optional.of("It exceeds the maximum length of " + MAX_KEY_LENGTH + " characters.");
        }
        return Optional.empty();
    }

    /** Python's {@code posixpath.normpath}. */
    static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int initialSlashes = !path.startsWith("/") ? 0 : path.startsWith("//") && !path.startsWith("///") ? 2 : 1;
        List<String> parts = new ArrayList<>();
        for (String comp : path.split("/", -1)) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (!comp.equals("..") || (initialSlashes == 0 && parts.isEmpty())
                    || (!parts.isEmpty() && parts.get(parts.size() - 1).equals(".."))) {
                parts.add(comp);
            } else if (!parts.isEmpty()) {
                parts.remove(parts.size() - 1);
            }
        }
        String out = "/".repeat(initialSlashes) + String.join("/", parts);
        return out.isEmpty() ? "." : out;
    }
}
