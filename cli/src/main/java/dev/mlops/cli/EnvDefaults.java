package dev.mlops.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables as the defaults of a command's options, so a pod spec configures the command with
 * {@code env:} and no shell: {@code --max-body-bytes} reads {@code MLOPS_MAX_BODY_BYTES}. An option given on the
 * command line wins; an unset or empty variable leaves the option's own default.
 */
public final class EnvDefaults implements IDefaultValueProvider {
    public static final String PREFIX = "MLOPS_";

    private final Map<String, String> env;

    /** The process environment; picocli instantiates this for {@code @Command(defaultValueProvider = ...)}. */
    public EnvDefaults() {
        this(System.getenv());
    }

    public EnvDefaults(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** {@code --max-body-bytes} becomes {@code MLOPS_MAX_BODY_BYTES}. */
    public static String variable(OptionSpec option) {
        String name = option.longestName().replaceFirst("^-+", "");
        return PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The variables a command reads, one per option (help and version excluded). */
    public static List<String> variables(CommandSpec spec) {
        return spec.options().stream().filter(EnvDefaults::configurable).map(EnvDefaults::variable).toList();
    }

    /** The variable a value came from, if it came from one (for error messages). */
    public String source(OptionSpec option) {
        String v = configurable(option) ? env.get(variable(option)) : null;
        return v == null || v.isBlank() ? null : variable(option);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || source(option) == null) {
            return null;
        }
        String value = env.get(variable(option));
        String expected = expectedForm(option.type(), value);
        if (expected != null) {
            throw new ParameterException(option.command().commandLine(), variable(option) + "=" + value + ": expected "
                    + expected + " for " + option.longestName());
        }
        return value;
    }

    /** What a number-typed option needs when {@code value} is not one; null when it converts. */
    private static String expectedForm(Class<?> type, String value) {
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value.trim());
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value.trim());
            } else if (type == double.class || type == Double.class) {
                Double.parseDouble(value.trim());
            }
            return null;
        } catch (NumberFormatException e) {
            return type == double.class || type == Double.class ? "a number" : "an integer";
        }
    }

    private static boolean configurable(OptionSpec o) {
        return !o.usageHelp() && !o.versionHelp();
    }
}
