package dev.mlops.cli;

/** Placeholder entry point, replaced by the picocli root command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("mlops");
    }
}
