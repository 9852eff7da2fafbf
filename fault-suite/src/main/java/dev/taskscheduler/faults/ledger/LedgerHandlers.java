package dev.taskscheduler.faults.ledger;

import dev.taskscheduler.worker.WorkerProperties;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The fault suite's task type {@value #TYPE}, added to the workers it starts. Every run of the
 * handler that gets to its end is appended to {@code executions-<pid>.log} in the ledger folder
 * with one write, which outlives a SIGKILL of the worker right after it. The payload scripts it:
 * {@code millis} of work, {@code failAttempts} (attempts below it fail), {@code nonRetryable}
 * (fails for good: the task must end in the dead-letter queue).
 */
@Configuration(proxyBeanMethods = false)
public class LedgerHandlers {

    public static final String TYPE = "ledger";
    /** Never opened: the handler waits on it to stand for work that takes time. */
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @Bean
    TaskHandler ledgerHandler(WorkerProperties worker, @Value("${fault-suite.ledger-dir}") Path ledgerDir) {
        FileChannel file = open(ledgerDir.resolve("executions-" + ProcessHandle.current().pid() + ".log"));
        return new TaskHandler() {
            @Override
            public String type() {
                return TYPE;
            }

            @Override
            public TaskOutcome handle(TaskContext context) throws Exception {
                long started = System.currentTimeMillis();
                NEVER.await(context.payload().path("millis").asLong(0), TimeUnit.MILLISECONDS);
                boolean fails = context.payload().path("nonRetryable").asBoolean(false)
                        || context.attempt() < context.payload().path("failAttempts").asInt(0);
                write(file, new Execution(context.taskId(), context.attempt(), worker.id(),
                        ProcessHandle.current().pid(), started, System.currentTimeMillis(), !fails));
                if (context.payload().path("nonRetryable").asBoolean(false)) {
                    throw new NonRetryableTaskException("scripted to fail for good");
                }
                if (fails) {
                    throw new IllegalStateException("scripted failure of attempt " + context.attempt());
                }
                return TaskOutcome.of(Map.of("attempt", context.attempt()));
            }
        };
    }

    private static FileChannel open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the ledger " + file, e);
        }
    }

    /** One write call per line: appended whole, and kept by the kernel if the process dies next. */
    private static void write(FileChannel file, Execution execution) throws IOException {
        ByteBuffer line = ByteBuffer.wrap(execution.line().getBytes(StandardCharsets.UTF_8));
        synchronized (file) {
            while (line.hasRemaining()) {
                file.write(line);
            }
        }
    }
}
