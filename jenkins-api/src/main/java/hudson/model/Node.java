package hudson.model;

import hudson.FilePath;

public abstract class Node {
    public Node() {
    }

    public abstract FilePath getRootPath();
}
