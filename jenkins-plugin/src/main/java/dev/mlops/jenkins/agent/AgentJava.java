package dev.mlops.jenkins.agent;

import hudson.remoting.VirtualChannel;
import jenkins.MasterToSlaveFileCallable;

import java.io.File;
import java.io.IOException;

/**
 * The java launcher of the agent's own JVM: Java 17 or newer on every agent of a 2.541.x controller, so the child needs
 * no JDK tool installation. Evaluated on the agent.
 */
public final class AgentJava extends MasterToSlaveFileCallable<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String invoke(File f, VirtualChannel channel) throws IOException {
        File home = new File(System.getProperty("java.home"));
        for (String name : new String[] {"java", "java.exe"}) {
            File java = new File(new File(home, "bin"), name);
            if (java.isFile()) {
                return java.getPath();
            }
        }
        throw new IOException("no java launcher under " + home + " on this agent");
    }
}
