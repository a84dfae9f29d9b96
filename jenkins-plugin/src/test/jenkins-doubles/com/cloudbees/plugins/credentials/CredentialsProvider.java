// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import dev.mlops.jenkins.testing.TestJenkins;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import hudson.security.Permission;

import java.util.List;

/** Looks credentials up in the test's store and records each use, as the real provider tracks usage on the run. */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {
    public static final Permission USE_ITEM = null;

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run,
                                                                 List<DomainRequirement> domainRequirements) {
        IdCredentials c = TestJenkins.credentials(id);
        return type.isInstance(c) ? type.cast(c) : null;
    }

    public static <C extends Credentials> C track(Run build, C credentials) {
        TestJenkins.tracked(build, credentials);
        return credentials;
    }
}
