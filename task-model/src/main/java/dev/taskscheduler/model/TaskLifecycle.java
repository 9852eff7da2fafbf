package dev.taskscheduler.model;

import static dev.taskscheduler.model.TaskStatus.CANCELLED;
import static dev.taskscheduler.model.TaskStatus.DEAD_LETTER;
import static dev.taskscheduler.model.TaskStatus.PENDING;
import static dev.taskscheduler.model.TaskStatus.RUNNING;
import static dev.taskscheduler.model.TaskStatus.SUCCEEDED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal status transitions of a task, in one place. Repositories check a transition here
 * before they write it; the conditional SQL updates then make it atomic.
 *
 * <pre>
 * pending ──claim──► running ──► succeeded
 *    ▲  │               │
 *    │  └─cancel─► cancelled
 *    └──retry / rescue──┤
 *                       └──► dead_letter ──replay──► pending
 * </pre>
 */
public final class TaskLifecycle {

    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED, DEAD_LETTER),
            RUNNING, EnumSet.of(SUCCEEDED, PENDING, DEAD_LETTER),
            SUCCEEDED, EnumSet.noneOf(TaskStatus.class),
            DEAD_LETTER, EnumSet.of(PENDING),
            CANCELLED, EnumSet.noneOf(TaskStatus.class));

    private TaskLifecycle() {
    }

    public static boolean isAllowed(TaskStatus from, TaskStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Throws {@link IllegalTransitionException} unless {@code from → to} is legal. */
    public static void requireAllowed(TaskStatus from, TaskStatus to) {
        if (!isAllowed(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }

    public static final class IllegalTransitionException extends IllegalStateException {
        public IllegalTransitionException(TaskStatus from, TaskStatus to) {
            super("Illegal task transition " + from.dbValue() + " -> " + to.dbValue());
        }
    }
}
