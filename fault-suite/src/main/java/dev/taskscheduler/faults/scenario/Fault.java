package dev.taskscheduler.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A fault a scenario inflicts on the running system while load flows: it begins, lasts, and is
 * ended (a restart, a SIGCONT, a healed link). What it hit is named for the report.
 */
public interface Fault {

    /** What happens, in a sentence for the report. */
    String description();

    /** Anything that must be in place before the load starts (e.g. an extra worker); nothing by default. */
    default void prepare(ScenarioContext context) throws Exception {
    }

    void begin(ScenarioContext context) throws Exception;

    /** How long the fault lasts once it began. */
    Duration hold();

    /** Ends the fault; returns once the hit part works again (restarted and ready) or the link is whole. */
    void end(ScenarioContext context) throws Exception;

    /** Undoes what {@link #prepare} set up, after the check. */
    default void cleanUp(ScenarioContext context) throws Exception {
    }

    /** Worker processes this fault killed or froze: the only ones whose runs may be repeated. */
    default Set<Long> faultedWorkerPids() {
        return Set.of();
    }

    /** Why the fault cannot be made here (a tool or permission is missing), or null when it can. */
    default String unavailableBecause(ScenarioContext context) {
        return null;
    }

    /** What the fault observed while it ran (e.g. whether a part died of it), for the report. */
    default List<String> notes() {
        return List.of();
    }
}
