package dev.taskscheduler.faults.scenario;

import dev.taskscheduler.faults.check.LedgerReader;
import dev.taskscheduler.faults.load.LoadGenerator;
import dev.taskscheduler.faults.system.SuiteSystem;

/** What a fault can reach: the system, the load generator and the ledger reader. */
public record ScenarioContext(SuiteSystem system, LoadGenerator load, LedgerReader ledger) {
}
