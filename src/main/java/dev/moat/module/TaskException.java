package dev.moat.module;

/** A task that fails on a host: the message is one line naming what is wrong (an assert, a bad fact). */
public class TaskException extends Exception {
    public TaskException(String message) {
        super(message);
    }
}
