package dev.mlops.engine.tracking;

public enum RunStatus { RUNNING, FINISHED, FAILED, KILLED }
