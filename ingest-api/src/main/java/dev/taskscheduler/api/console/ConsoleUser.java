package dev.taskscheduler.api.console;

import dev.taskscheduler.api.security.Caller;
import dev.taskscheduler.api.security.Scope;

/**
 * The signed-in caller as the pages need it: its name and what it may see and do. Pages show an
 * action only when its scope is here; the access rules refuse it anyway when it is not.
 */
public record ConsoleUser(String name, boolean readsTasks, boolean managesTasks, boolean managesDeadLetters,
        boolean readsSchedules, boolean writesSchedules, boolean isAdmin) {

    static ConsoleUser of(Caller caller) {
        return new ConsoleUser(caller.name(), caller.has(Scope.TASKS_READ), caller.has(Scope.TASKS_MANAGE),
                caller.has(Scope.DLQ_MANAGE), caller.has(Scope.SCHEDULES_READ), caller.has(Scope.SCHEDULES_WRITE),
                caller.has(Scope.ADMIN));
    }
}
