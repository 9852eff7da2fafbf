package dev.taskscheduler.faults.report;

import dev.taskscheduler.faults.check.Figures;

/**
 * What one scenario did and found.
 *
 * @param refused           submissions never accepted (refused, or unanswered after every try): not in the ledger
 * @param recoverySeconds   from the end of the fault until a task submitted after it had succeeded; -1 if none did
 * @param settleSeconds     from the end of the load until every accepted task had ended (or the wait gave up)
 * @param skippedBecause    why the scenario could not run here, or null
 * @param error             what went wrong running the scenario itself, or null
 */
public record ScenarioResult(String name, String fault, Figures figures, long refused, double recoverySeconds,
                             double settleSeconds, double totalSeconds, String skippedBecause, String error) {

    public boolean pass() {
        return skippedBecause == null && error == null && figures != null && figures.pass() && recoverySeconds >= 0;
    }

    public String verdict() {
        if (skippedBecause != null) {
            return "skipped";
        }
        return pass() ? "pass" : "FAIL";
    }
}
