package dev.mlops.jenkins.testing;

import hudson.FilePath;
import hudson.model.Node;

/** An agent whose root folder is a temporary directory. */
public final class TestNode extends Node {
    private final FilePath root;

    public TestNode(FilePath root) {
        this.root = root;
    }

    @Override
    public FilePath getRootPath() {
        return root;
    }
}
