// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public enum Kind {
        OK, WARNING, ERROR
    }

    private static FormValidation of(Kind kind, String message) {
        return new FormValidation(kind, message) {
            @Override
            public String renderHtml() {
                return message == null ? "" : message;
            }
        };
    }

    public static FormValidation ok() {
        return of(Kind.OK, null);
    }

    public static FormValidation ok(String message) {
        return of(Kind.OK, message);
    }

    public static FormValidation warning(String message) {
        return of(Kind.WARNING, message);
    }

    public static FormValidation error(String message) {
        return of(Kind.ERROR, message);
    }

    public abstract String renderHtml();
}
