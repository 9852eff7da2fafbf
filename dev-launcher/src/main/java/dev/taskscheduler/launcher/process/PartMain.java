package dev.taskscheduler.launcher.process;

import ch.qos.logback.classic.Level;
import dev.taskscheduler.api.security.ApiKeyService;
import dev.taskscheduler.launcher.AdminKeyFile;
import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.localinfra.LocalKafka;
import dev.taskscheduler.localinfra.LocalPostgres;
import dev.taskscheduler.localinfra.LocalRedis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The body of one child process of the launcher's process mode: one piece of infrastructure (Kafka,
 * PostgreSQL or Redis) or one service. It writes its ready file once it does its work, and it exits
 * when its standard input closes, which happens when the launcher that started it is gone, however
 * it went: no orphan outlives its launcher.
 *
 * <p>Arguments: {@code --part NAME --ready-file PATH [option=value …] [-- service arguments …]}.
 */
public final class PartMain {

    private static final Logger log = LoggerFactory.getLogger(PartMain.class);

    private PartMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> serviceArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                serviceArgs.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            options.computeIfAbsent(args[i], key -> new ArrayList<>()).add(args[++i]);
        }
        Part part = Part.named(single(options, "--part"));
        Path readyFile = Path.of(single(options, "--ready-file"));
        exitWhenLauncherIsGone();
        AutoCloseable running = switch (part) {
            case KAFKA -> {
                quietInfrastructureLogs();
                List<LocalKafka.ExtraListener> listeners = options.getOrDefault("--listener", List.of()).stream()
                        .map(PartMain::listener).toList();
                yield LocalKafka.start(Path.of(single(options, "--data-dir")),
                        Integer.parseInt(single(options, "--port")), Map.of(), listeners);
            }
            case POSTGRES -> {
                quietInfrastructureLogs();
                yield LocalPostgres.start(Path.of(single(options, "--data-dir")),
                        Integer.parseInt(single(options, "--port")));
            }
            case REDIS -> {
                quietInfrastructureLogs();
                yield LocalRedis.start(Path.of(single(options, "--data-dir")),
                        Integer.parseInt(single(options, "--port")));
            }
            default -> startService(part, serviceArgs, options.get("--admin-key-file"));
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", part.id(), e.toString());
            }
        }, part.id() + "-shutdown"));
        Path partial = readyFile.resolveSibling(readyFile.getFileName() + ".partial");
        Files.writeString(partial, ProcessHandle.current().pid() + "\n");
        Files.move(partial, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("{} is ready (process {})", part.id(), ProcessHandle.current().pid());
        new CountDownLatch(1).await(); // until the shutdown hook ends the process
    }

    private static ConfigurableApplicationContext startService(Part part, List<String> args, List<String> keyFile)
            throws IOException {
        ConfigurableApplicationContext context = TaskSchedulerSystem.builder(part.id()).run(args.toArray(String[]::new));
        TaskSchedulerSystem.awaitReady(part.id(), context);
        if (keyFile != null) {
            AdminKeyFile.ensure(context.getBean(ApiKeyService.class), Path.of(keyFile.get(0)));
        }
        return context;
    }

    /** {@code NAME:port:advertisedPort}. */
    private static LocalKafka.ExtraListener listener(String value) {
        String[] parts = value.split(":");
        return new LocalKafka.ExtraListener(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    private static String single(Map<String, List<String>> options, String name) {
        List<String> values = options.get(name);
        if (values == null || values.size() != 1) {
            throw new IllegalArgumentException("Expected one " + name + ", got " + values);
        }
        return values.get(0);
    }

    /** The launcher holds the other end of standard input; end of input means it is gone. */
    private static void exitWhenLauncherIsGone() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever sent: only the end of the stream matters
                }
            } catch (IOException e) {
                // a broken pipe means the same as its end
            }
            log.info("The launcher is gone; stopping");
            System.exit(0);
        }, "launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Without Spring nothing configures logging, and Logback's default logs everything. */
    private static void quietInfrastructureLogs() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.INFO);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("kafka")).setLevel(Level.WARN);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
        }
    }
}
