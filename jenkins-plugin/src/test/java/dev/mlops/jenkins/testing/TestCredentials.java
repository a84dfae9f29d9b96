package dev.mlops.jenkins.testing;

import com.cloudbees.plugins.credentials.CredentialsDescriptor;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The three kinds of credentials the steps take, as a Jenkins user creates them. */
public final class TestCredentials {
    private TestCredentials() {
    }

    /** What every credential kind shares: id, scope, description and the kind's display name. */
    private abstract static class Base implements StandardCredentials {
        private final String id;
        private final String kind;

        Base(String id, String kind) {
            this.id = id;
            this.kind = kind;
        }

        @Override
        public String getDescription() {
            return "";
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public CredentialsScope getScope() {
            return CredentialsScope.GLOBAL;
        }

        @Override
        public CredentialsDescriptor getDescriptor() {
            return descriptor(kind);
        }
    }

    private abstract static class SecretText extends Base implements StringCredentials {
        SecretText(String id) {
            super(id, "Secret text");
        }
    }

    private abstract static class UsernamePassword extends Base implements StandardUsernamePasswordCredentials {
        UsernamePassword(String id) {
            super(id, "Username with password");
        }
    }

    private abstract static class SecretFile extends Base implements FileCredentials {
        SecretFile(String id) {
            super(id, "Secret file");
        }
    }

    private static CredentialsDescriptor descriptor(String displayName) {
        return new CredentialsDescriptor() {
            @Override
            public String getDisplayName() {
                return displayName;
            }
        };
    }

    public static StringCredentials secretText(String id, String secret) {
        return new SecretText(id) {
            @Override
            public Secret getSecret() {
                return Secret.fromString(secret);
            }
        };
    }

    public static StandardUsernamePasswordCredentials usernamePassword(String id, String user, String password) {
        return new UsernamePassword(id) {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public boolean isUsernameSecret() {
                return false;
            }

            @Override
            public Secret getPassword() {
                return Secret.fromString(password);
            }
        };
    }

    public static FileCredentials secretFile(String id, String fileName, String content) {
        return new SecretFile(id) {
            @Override
            public String getFileName() {
                return fileName;
            }

            @Override
            public InputStream getContent() {
                return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
