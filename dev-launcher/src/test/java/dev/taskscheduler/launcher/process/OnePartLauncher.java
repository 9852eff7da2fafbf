package dev.taskscheduler.launcher.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A launcher of the process mode in a JVM of its own, with Redis as its only part, so that a test
 * can kill the launcher and watch what becomes of its child. Prints {@code child-pid=<pid>} once
 * the part is ready. Argument: the data folder.
 */
public final class OnePartLauncher {

    private OnePartLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessModeSystem system = ProcessModeSystem.start(ProcessModeSystemTest.settings(Path.of(args[0])),
                List.of(List.of(Part.REDIS)));
        System.out.println("child-pid=" + system.part(Part.REDIS).pid());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
