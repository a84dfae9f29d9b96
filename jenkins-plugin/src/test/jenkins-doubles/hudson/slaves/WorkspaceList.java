// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson.slaves;

import hudson.FilePath;

public final class WorkspaceList {
    private WorkspaceList() {
    }

    public static FilePath tempDir(FilePath ws) {
        return ws.getParent().child(ws.getName() + "@tmp");
    }
}
