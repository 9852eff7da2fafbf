package dev.taskscheduler.worker.execution;

import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskPriority;
import dev.taskscheduler.store.StoredTask;
import dev.taskscheduler.store.TaskClaims;
import dev.taskscheduler.store.TaskClaims.Release;
import dev.taskscheduler.store.TaskRepository;
import dev.taskscheduler.worker.handler.HandlerRegistry;
import dev.taskscheduler.worker.limits.TaskTypeLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs released tasks, a poll's worth at a time: takes the permits of their types' shared limits,
 * claims them in PostgreSQL with one statement, starts each on its pool's handler threads and, once
 * they settle, has their outcomes written in batches ({@link OutcomeWriter}).
 *
 * <p>The claim is fenced on each release (task, attempt, due time), so of several deliveries of
 * the same release only one runs, a stale release runs nothing, and the outcome is written only
 * while this worker still holds the claim.
 */
public class TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);
    private static final Duration ROW_VISIBILITY_WAIT = Duration.ofSeconds(5);

    /**
     * @param deferralBase first wait of a task whose type's limit is full; it doubles with each
     *                     deferral in a row
     * @param deferralMax  longest such wait
     */
    public record Deferral(Duration deferralBase, Duration deferralMax) {
    }

    private final String workerId;
    private final TaskClaims claims;
    private final TaskTypeLimiter limiter;
    private final Deferral deferral;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final RunningTasks running = new RunningTasks();
    private final OutcomeWriter outcomes;
    private final AttemptTimeouts timeouts;
    private final Map<String, HandlerPool> pools = new HashMap<>();
    private final VisibleClaims visibleClaims;

    public TaskExecutor(String workerId, TaskRepository tasks, TaskClaims claims, HandlerRegistry handlers, OutcomeDecision decision, TaskTypeLimiter limiter, Deferral deferral,
            WorkerMetrics metrics, Clock clock, TransactionTemplate transaction, OutcomeWrites writes,
            Map<String, Map<TaskPriority, Integer>> capacities) {
        this.workerId = workerId;
        this.claims = claims;
        this.limiter = limiter;
        this.deferral = deferral;
        this.metrics = metrics;
        this.clock = clock;
        this.visibleClaims = new VisibleClaims(workerId, claims, tasks);
        this.outcomes = new OutcomeWriter(workerId, claims, transaction, decision, writes, running, metrics);
        this.timeouts = new AttemptTimeouts(running, outcomes, clock);
        capacities.forEach((pool, byPriority) -> byPriority.forEach((priority, capacity) ->
                pools.put(key(pool, priority), new HandlerPool("worker-" + pool + "-" + priority.value(), capacity,
                        handlers, outcomes, limiter, metrics, clock))));
    }

    /** The handler threads of one pool and priority. */
    public HandlerPool pool(String pool, TaskPriority priority) {
        return pools.get(key(pool, priority));
    }

    /** The tasks whose claims this worker holds now (the lease refresh keeps them alive). */
    public Set<UUID> runningTaskIds() {
        return running.taskIds();
    }

    /**
     * Runs the released tasks of one poll; returns once they are claimed and started. The caller
     * passes no more than its pool has free slots.
     *
     * @throws RuntimeException when the database cannot be reached: nothing was claimed, and the
     *                          caller delivers the same releases again later
     */
    public void execute(String pool, TaskPriority priority, List<ReadyTask> released) {
        Map<UUID, ReadyTask> unique = new LinkedHashMap<>();
        for (ReadyTask ready : released) {
            if (!running.holds(ready.taskId())) {
                unique.put(ready.taskId(), ready); // a task released twice in one poll: its later release
            }
        }
        List<Release> allowed = new ArrayList<>(unique.size());
        List<Release> deferred = new ArrayList<>();
        Map<UUID, TaskTypeLimiter.Permit> permits = new HashMap<>();
        for (ReadyTask ready : unique.values()) {
            TaskTypeLimiter.Permit permit = limiter.tryAcquire(ready.type(), ready.taskId());
            Release release = new Release(ready.taskId(), ready.attempt(), ready.runAt());
            if (permit == null) {
                deferred.add(release);
                metrics.deferred(ready.type());
            } else {
                permits.put(ready.taskId(), permit);
                allowed.add(release);
            }
        }
        try {
            defer(deferred);
            List<StoredTask> claimed = claimOnceVisible(allowed);
            HandlerPool handlers = pool(pool, priority);
            for (StoredTask task : claimed) {
                Execution execution = new Execution(task, pool, permits.remove(task.id()));
                running.add(execution);
                handlers.start(execution);
            }
        } finally {
            permits.values().forEach(limiter::release); // releases that claimed nothing
        }
    }

    private void defer(List<Release> deferred) {
        if (!deferred.isEmpty()) {
            int moved = claims.defer(deferred, deferral.deferralBase(), deferral.deferralMax());
            log.debug("{} of {} tasks deferred: their type's limit is full", moved, deferred.size());
        }
    }

    /**
     * Claims the releases, waiting briefly for tasks whose row is not visible yet ({@link VisibleClaims}):
     * on a loaded machine a task can be released and delivered before its insert is visible to
     * other sessions, and a claim that skipped it would leave it pending until the overdue sweep.
     */
    private List<StoredTask> claimOnceVisible(List<Release> releases) {
        VisibleClaims.Round round = visibleClaims.claim(releases);
        List<StoredTask> claimed = new ArrayList<>(round.claimed());
        List<Release> unseen = round.notVisible();
        long deadline = System.nanoTime() + ROW_VISIBILITY_WAIT.toNanos();
        long pause = 10;
        while (!unseen.isEmpty() && System.nanoTime() < deadline) {
            unseen.forEach(release -> metrics.rowNotVisible());
            sleep(pause);
            pause = Math.min(pause * 2, 500);
            round = visibleClaims.claim(unseen);
            claimed.addAll(round.claimed());
            unseen = round.notVisible();
        }
        unseen.forEach(release -> log.warn("Task {} released but its row is not there after {}: skipped",
                release.taskId(), ROW_VISIBILITY_WAIT));
        return claimed;
    }

    /**
     * The worker is stopping and its consumers have stopped: running handlers may go on until
     * {@code grace} has passed, then their tasks are handed back unfinished, to run again elsewhere;
     * then every outcome is written.
     */
    public void stop(Duration grace) {
        Instant handBackAt = clock.instant().plus(grace);
        while (running.handlersRunning() > 0 && clock.instant().isBefore(handBackAt)) {
            sleep(AttemptTimeouts.SWEEP_MILLIS);
        }
        for (Execution execution : running.executions()) {
            if (execution.running() && execution.settle()) {
                log.info("Task {} ({}) handed back unfinished: worker {} is stopping", execution.task().id(),
                        execution.task().type(), workerId);
                outcomes.add(execution, Attempt.abandoned());
                execution.interrupt();
            }
        }
        timeouts.close();
        outcomes.close(Duration.ofSeconds(30));
        pools.values().forEach(HandlerPool::shutdownNow);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static String key(String pool, TaskPriority priority) {
        return pool + "/" + priority.value();
    }
}
