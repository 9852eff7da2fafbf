package dev.taskscheduler.relay.engine;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.taskscheduler.relay.RelayProperties;
import dev.taskscheduler.relay.lock.AdvisoryLock;
import dev.taskscheduler.relay.lock.RelayLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the relay for the lifetime of the application context: takes the relay lock (waiting as a standby while
 * another instance holds it), runs the Debezium engine while the lock is held, and restarts the engine with a
 * backoff whenever it stops on its own. On context close it closes the engine, waits for it, and releases the lock.
 */
@Component
public class RelaySupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelaySupervisor.class);

    private final RelayLock lock;
    private final EngineLauncher launcher;
    private final RelayStatus status;
    private final RelayProperties properties;

    private final Object monitor = new Object();
    private boolean running;          // guarded by monitor
    private EngineRun current;        // guarded by monitor
    private ExecutorService supervisorThread;
    private ExecutorService engineThread;

    RelaySupervisor(RelayLock lock, EngineLauncher launcher, RelayStatus status, RelayProperties properties) {
        this.lock = lock;
        this.launcher = launcher;
        this.status = status;
        this.properties = properties;
    }

    @Override
    public void start() {
        synchronized (monitor) {
            if (running) {
                return;
            }
            running = true;
            supervisorThread = singleThread("outbox-relay-supervisor");
            engineThread = singleThread("outbox-relay-engine");
            supervisorThread.execute(this::supervise);
        }
    }

    @Override
    public void stop() {
        EngineRun run;
        synchronized (monitor) {
            if (!running) {
                return;
            }
            running = false;
            run = current;
        }
        Duration timeout = properties.shutdownTimeout();
        if (run != null) {
            run.stop(timeout);
        }
        // Wakes the supervisor from a standby or backoff wait; it then releases the lock and ends.
        supervisorThread.shutdownNow();
        awaitTermination(supervisorThread, timeout);
        engineThread.shutdownNow();
        awaitTermination(engineThread, timeout);
        status.set(RelayStatus.State.STOPPED);
        log.info("Outbox relay for slot {} stopped", properties.slotName());
    }

    @Override
    public boolean isRunning() {
        synchronized (monitor) {
            return running;
        }
    }

    private void supervise() {
        Duration checkInterval = properties.lock().checkInterval();
        while (isRunning()) {
            try {
                Optional<AdvisoryLock> acquired = lock.tryAcquire();
                if (acquired.isPresent()) {
                    try (AdvisoryLock held = acquired.get()) {
                        log.info("Outbox relay is ACTIVE: holds lock {} for slot {}", held.key(), properties.slotName());
                        relayWhileLocked(held);
                    }
                    log.info("Outbox relay released lock {} for slot {}", lock.key(), properties.slotName());
                    continue;
                }
                if (status.state() != RelayStatus.State.STANDBY) {
                    log.info("Outbox relay is STANDBY: another instance holds lock {} for slot {}; retrying every {}",
                            lock.key(), properties.slotName(), checkInterval);
                }
                status.set(RelayStatus.State.STANDBY);
                Thread.sleep(checkInterval.toMillis());
            } catch (InterruptedException e) {
                return; // stop() in progress
            } catch (SQLException e) {
                log.warn("Outbox relay cannot take lock {} for slot {}; retrying in {}: {}", lock.key(),
                        properties.slotName(), checkInterval, e.toString());
                status.set(RelayStatus.State.STANDBY);
                if (!sleep(checkInterval)) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("Outbox relay supervisor failed for slot {}; lock released, retrying in {}",
                        properties.slotName(), checkInterval, e);
                status.set(RelayStatus.State.STANDBY);
                if (!sleep(checkInterval)) {
                    return;
                }
            }
        }
    }

    /** Runs and restarts the engine until the context stops or the lock is lost. */
    private void relayWhileLocked(AdvisoryLock held) throws InterruptedException {
        RelayProperties.Restart restart = properties.restart();
        Backoff backoff = new Backoff(restart.initialBackoff(), restart.maxBackoff());
        while (true) {
            EngineRun run;
            EngineRun.Outcome outcome;
            try {
                synchronized (monitor) {
                    if (!running) {
                        return;
                    }
                    status.set(RelayStatus.State.STARTING);
                    run = launcher.start(engineThread);
                    current = run;
                }
                boolean lockLost = awaitWhileLocked(run, held);
                synchronized (monitor) {
                    current = null;
                    if (!running) {
                        return;
                    }
                }
                if (lockLost) {
                    log.error("Outbox relay lost lock {} for slot {} (database session ended); engine '{}' stopped, "
                            + "competing for the lock again", held.key(), properties.slotName(), EngineConfig.CONNECTOR_NAME);
                    return;
                }
                outcome = run.outcome();
                if (run.uptime(Instant.now()).compareTo(backoff.max()) >= 0) {
                    backoff.reset(); // it ran long enough to count as healthy: this is a new failure, not a loop
                }
            } catch (RuntimeException e) {
                outcome = EngineRun.Outcome.failed("Engine could not be started", e);
            }
            Duration delay = backoff.next();
            status.failed(outcome.describe());
            log.error("Outbox relay engine '{}' on slot {} stopped {}: {}; restarting in {}",
                    EngineConfig.CONNECTOR_NAME, properties.slotName(),
                    outcome.success() ? "unexpectedly" : "on failure", outcome.message(), delay, outcome.error());
            Thread.sleep(delay.toMillis());
            if (!held.isHeld()) {
                log.error("Outbox relay lost lock {} for slot {} while waiting to restart", held.key(), properties.slotName());
                return;
            }
        }
    }

    /** @return true when the engine was stopped because the lock was lost */
    private boolean awaitWhileLocked(EngineRun run, AdvisoryLock held) throws InterruptedException {
        Duration checkInterval = properties.lock().checkInterval();
        while (!run.await(checkInterval)) {
            if (!held.isHeld()) {
                // Another instance may take the lock (and the slot) now: stop relaying at once.
                run.stop(properties.shutdownTimeout());
                return true;
            }
        }
        return false;
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void awaitTermination(ExecutorService executor, Duration timeout) {
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Outbox relay thread did not end within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
