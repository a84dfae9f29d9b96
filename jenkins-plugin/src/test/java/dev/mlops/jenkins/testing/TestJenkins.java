package dev.mlops.jenkins.testing;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import hudson.model.Run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the test doubles of static Jenkins entry points read: the credentials store and the extension singletons. */
public final class TestJenkins {
    private static final Map<String, IdCredentials> CREDENTIALS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Object> EXTENSIONS = new ConcurrentHashMap<>();
    private static final List<String> TRACKED = new ArrayList<>();

    private TestJenkins() {
    }

    /** A fresh Jenkins: no credentials, default global configuration. */
    public static void reset() {
        CREDENTIALS.clear();
        EXTENSIONS.clear();
        synchronized (TRACKED) {
            TRACKED.clear();
        }
        EXTENSIONS.put(MlopsGlobalConfiguration.class, new MlopsGlobalConfiguration());
    }

    public static void add(IdCredentials c) {
        CREDENTIALS.put(c.getId(), c);
    }

    public static IdCredentials credentials(String id) {
        return CREDENTIALS.get(id);
    }

    public static <U> U extension(Class<U> type) {
        Object o = EXTENSIONS.get(type);
        if (o == null) {
            throw new IllegalStateException("Expected 1 instance of " + type.getName() + " but got 0");
        }
        return type.cast(o);
    }

    public static void tracked(Run<?, ?> run, Credentials c) {
        synchronized (TRACKED) {
            TRACKED.add(((IdCredentials) c).getId());
        }
    }

    public static List<String> tracked() {
        synchronized (TRACKED) {
            return List.copyOf(TRACKED);
        }
    }
}
