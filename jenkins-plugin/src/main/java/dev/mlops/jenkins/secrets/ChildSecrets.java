package dev.mlops.jenkins.secrets;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a step hands the {@code mlops} child from its credentials: environment variables (never argv) and, for a
 * kubeconfig, the file's bytes, which live on the agent only for the length of the call, outside the workspace.
 * Every value is also registered with the {@link SecretMasker}.
 */
public final class ChildSecrets {
    /** Values in a kubeconfig that are credentials (tokens, keys, passwords), to mask them if anything echoes one. */
    private static final Pattern KUBECONFIG_SECRET = Pattern.compile(
            "(?m)^\\s*-?\\s*(token|client-key-data|client-certificate-data|password|id-token|refresh-token|access-token)"
                    + "\\s*:\\s*[\"']?([^\\s\"']+)");

    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> masked = new LinkedHashSet<>();
    private byte[] kubeconfig;

    public static ChildSecrets none() {
        return new ChildSecrets();
    }

    public void env(String name, String value, boolean secret) {
        env.put(name, value);
        if (secret) {
            masked.add(value);
        }
    }

    public void kubeconfig(byte[] content) {
        kubeconfig = content.clone();
        String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
        Matcher m = KUBECONFIG_SECRET.matcher(text);
        while (m.find()) {
            masked.add(m.group(2));
        }
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** The kubeconfig's bytes, or null when the step was given none. */
    public byte[] kubeconfig() {
        return kubeconfig == null ? null : kubeconfig.clone();
    }

    public SecretMasker masker() {
        return new SecretMasker(masked);
    }

    /** Overwrites the in-memory copy once the child has it. */
    public void wipe() {
        if (kubeconfig != null) {
            Arrays.fill(kubeconfig, (byte) 0);
        }
    }
}
