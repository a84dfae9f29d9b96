package dev.mlops.jenkins.testing;

import com.cloudbees.plugins.credentials.CredentialsDescriptor;
import com.cloudbees.plugins.credentials.CredentialsScope;
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

    private static CredentialsDescriptor descriptor(String displayName) {
        return new CredentialsDescriptor() {
            @Override
            public String getDisplayName() {
                return displayName;
            }
        };
    }

    public static StringCredentials secretText(String id, String secret) {
        return new StringCredentials() {
            @Override
            public Secret getSecret() {
                return Secret.fromString(secret);
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
                return descriptor("Secret text");
            }
        };
    }

    public static StandardUsernamePasswordCredentials usernamePassword(String id, String user, String password) {
        return new StandardUsernamePasswordCredentials() {
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
                return descriptor("Username with password");
            }
        };
    }

    public static FileCredentials secretFile(String id, String fileName, String content) {
        return new FileCredentials() {
            @Override
            public String getFileName() {
                return fileName;
            }

            @Override
            public InputStream getContent() {
                return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
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
                return descriptor("Secret file");
            }
        };
    }
}
