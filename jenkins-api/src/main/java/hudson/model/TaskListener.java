package hudson.model;

import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

import java.io.PrintStream;
import java.io.PrintWriter;

public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();

    default PrintWriter error(String msg) {
        throw new UnsupportedOperationException("compile-only declaration");
    }
}
