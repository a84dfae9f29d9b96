package dev.mlops.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.util.List;

/**
 * The credentials drop-downs of the steps and the global configuration: only ids (never secrets), only the kinds the
 * field takes, and only for users allowed to configure the item (or Jenkins, for the global page).
 */
public final class CredentialsListing {
    private CredentialsListing() {
    }

    public static ListBoxModel mlflow(Item item, String current) {
        return list(item, current, CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(StringCredentials.class),
                CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class)));
    }

    public static ListBoxModel kubeconfig(Item item, String current) {
        return list(item, current, CredentialsMatchers.instanceOf(FileCredentials.class));
    }

    private static ListBoxModel list(Item item, String current, CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        boolean allowed = item == null
                ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
        if (!allowed) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, item, StandardCredentials.class, List.of(), matcher)
                .includeCurrentValue(current);
    }
}
