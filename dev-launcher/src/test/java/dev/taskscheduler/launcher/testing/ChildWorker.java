package dev.taskscheduler.launcher.testing;

import dev.taskscheduler.worker.WorkerApplication;

/**
 * A worker in a process of its own, so a test can kill it with SIGKILL. Its handlers come from
 * {@code --spring.main.sources}, as for the in-process workers.
 */
public final class ChildWorker {

    private ChildWorker() {
    }

    public static void main(String[] args) {
        WorkerApplication.main(args);
    }
}
