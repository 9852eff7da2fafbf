package dev.taskscheduler.store;

import java.util.Collection;

/**
 * Told about the task rows every write of the repositories changed, as they read afterwards: the
 * way the status cache is kept in step ({@link dev.taskscheduler.store.cache.TaskStatusCache}). No
 * caller of a repository writes the cache itself, so none can forget to.
 */
@FunctionalInterface
public interface TaskChanges {

    /** For code that keeps no copies of task rows (tools, tests of the SQL). */
    TaskChanges IGNORED = rows -> {
    };

    /** {@code rows} changed; called by the writing thread, inside the writing transaction if any. */
    void changed(Collection<StoredTask> rows);

    /**
     * {@code rows} were just inserted, by the writing thread, inside the writing transaction if any.
     * No reader can hold a copy of them yet, so copies may follow a little later.
     */
    default void inserted(Collection<StoredTask> rows) {
        changed(rows);
    }
}
