package dev.taskscheduler.faults.check;

import dev.taskscheduler.faults.ledger.Execution;
import dev.taskscheduler.faults.load.Accepted;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The ledger check itself, on data already read: the load generator's accepted tasks, the rows of
 * {@code tasks} and {@code task_attempts}, and the handler's executions. Pure, so it is tested on its own.
 */
public final class LedgerCheck {

    private static final int MAX_PROBLEM_LINES = 5;
    /** Due times are kept to the millisecond, finish times to the microsecond. */
    private static final java.time.Duration CLOCK_GRAIN = java.time.Duration.ofMillis(1);

    private LedgerCheck() {
    }

    /**
     * @param accepted    every accepted task, topic records already resolved to their ids where found
     * @param faultedPids worker processes the scenario killed or froze: the only ones allowed to cause a
     *                    second successful run
     */
    public static Figures judge(List<Accepted> accepted, Map<UUID, TaskRow> tasks, Collection<AttemptRow> attempts,
            Collection<Execution> executions, Set<Long> faultedPids) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> shown = new HashMap<>();
        int ended = 0;
        int endedAsMeant = 0;
        int lost = 0;
        int stuck = 0;
        Map<UUID, Accepted> byId = new HashMap<>();
        for (Accepted task : accepted) {
            TaskRow row = task.id() == null ? null : tasks.get(task.id());
            if (row == null) {
                lost++;
                note(problems, shown, "lost", "lost: " + task.channel() + " " + task.idempotencyKey()
                        + (task.id() == null ? " (no task with this key)" : " " + task.id()));
                continue;
            }
            byId.put(task.id(), task);
            if (!row.ended()) {
                stuck++;
                note(problems, shown, "stuck", "not ended: " + task.id() + " " + row.status() + " attempt "
                        + row.retryCount());
                continue;
            }
            ended++;
            String meant = task.expected() == Accepted.Expected.SUCCEEDED ? "succeeded" : "dead_letter";
            if (row.status().equals(meant)) {
                endedAsMeant++;
            } else {
                note(problems, shown, "wrong", "ended " + row.status() + " instead of " + meant + ": " + task.id());
            }
        }

        Map<UUID, List<AttemptRow>> attemptsByTask = attempts.stream()
                .filter(attempt -> byId.containsKey(attempt.taskId()))
                .collect(Collectors.groupingBy(AttemptRow::taskId));
        int early = 0;
        for (List<AttemptRow> rows : attemptsByTask.values()) {
            Map<Integer, Instant> endedAt = new HashMap<>();
            rows.stream().filter(row -> row.finishedAt() != null)
                    .forEach(row -> endedAt.merge(row.attempt(), row.finishedAt(), (a, b) -> a.isAfter(b) ? a : b));
            for (AttemptRow attempt : rows) {
                // A retry is due its backoff after the failure was written (the database's clock); due
                // before that, it was timed by another clock (a worker's own) and skipped its backoff.
                Instant failed = endedAt.get(attempt.attempt() - 1);
                if (attempt.dueAt() != null && failed != null && attempt.dueAt().isBefore(failed.minus(CLOCK_GRAIN))) {
                    early++;
                    note(problems, shown, "early", "retry due before its failure: " + attempt.taskId() + " attempt "
                            + attempt.attempt() + " due " + attempt.dueAt() + ", attempt " + (attempt.attempt() - 1)
                            + " ended " + failed);
                    continue;
                }
                boolean beforeClaimedDue = attempt.dueAt() != null && attempt.startedAt().isBefore(attempt.dueAt());
                Instant requested = byId.get(attempt.taskId()).notBefore().truncatedTo(ChronoUnit.MILLIS);
                boolean beforeRequested = attempt.attempt() == 0 && attempt.startedAt().isBefore(requested);
                if (beforeClaimedDue || beforeRequested) {
                    early++;
                    note(problems, shown, "early", "early: " + attempt.taskId() + " attempt " + attempt.attempt()
                            + " started " + attempt.startedAt() + ", due " + attempt.dueAt() + ", requested "
                            + requested);
                }
            }
        }

        int duplicates = 0;
        int explained = 0;
        Map<UUID, List<Execution>> successes = executions.stream()
                .filter(Execution::succeeded)
                .filter(execution -> byId.containsKey(execution.taskId()))
                .collect(Collectors.groupingBy(Execution::taskId));
        for (Map.Entry<UUID, List<Execution>> entry : successes.entrySet()) {
            TaskRow row = tasks.get(entry.getKey());
            List<Execution> extra = entry.getValue().stream()
                    .filter(run -> !(row.status().equals("succeeded") && run.attempt() == row.retryCount()
                            && run.workerId().equals(row.workerId())))
                    .sorted(Comparator.comparingLong(Execution::startedMillis))
                    .toList();
            if (extra.size() == entry.getValue().size()) {
                // No run is the one the row records (the task has not ended as a success): the last one
                // stands for it, the runs before it are the repeats.
                extra = extra.subList(0, extra.size() - 1);
            }
            for (Execution run : extra) {
                duplicates++;
                boolean ownAttempt = attemptsByTask.getOrDefault(entry.getKey(), List.of()).stream()
                        .anyMatch(attempt -> attempt.attempt() == run.attempt()
                                && run.workerId().equals(attempt.workerId())
                                && !attempt.outcome().equals("succeeded"));
                if (ownAttempt && faultedPids.contains(run.pid())) {
                    explained++;
                } else {
                    note(problems, shown, "duplicate", "unexplained second run: " + run.taskId() + " attempt "
                            + run.attempt() + " by " + run.workerId() + (ownAttempt ? "" : " (no attempt of its own)"));
                }
            }
        }
        return new Figures(accepted.size(), ended, endedAsMeant, lost, stuck, early, duplicates, explained,
                List.copyOf(problems));
    }

    private static void note(List<String> problems, Map<String, Integer> shown, String kind, String line) {
        if (shown.merge(kind, 1, Integer::sum) <= MAX_PROBLEM_LINES) {
            problems.add(line);
        }
    }
}
