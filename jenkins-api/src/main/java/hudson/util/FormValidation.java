package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    public final Kind kind;

    private FormValidation(Kind kind) {
        this.kind = kind;
    }

    public enum Kind {
        OK, WARNING, ERROR
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public static FormValidation ok(String message) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public abstract String renderHtml();
}
