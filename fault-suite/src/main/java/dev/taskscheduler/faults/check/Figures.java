package dev.taskscheduler.faults.check;

import java.util.List;

/**
 * What the ledger check found for one scenario.
 *
 * @param accepted     tasks the load generator's ledger holds (REST answers, broker acks, probes)
 * @param ended        accepted tasks in a final status
 * @param endedAsMeant of those, in the final status their handler meant (succeeded, or dead_letter)
 * @param lost         accepted tasks PostgreSQL does not have (a topic record whose key found no task)
 * @param stuck        accepted tasks not ended when the scenario gave up waiting
 * @param early        attempts that started before the due time they were claimed for, a first
 *                     attempt before the task's requested run time, or a retry due before the attempt
 *                     it repeats had ended (its backoff timed by a clock other than the database's)
 * @param duplicates   successful runs of the handler beyond the one the task's row records
 * @param explained    duplicates run by a worker the scenario killed or froze, recorded as an attempt
 *                     of their own that did not succeed
 * @param problems     a line per finding, for the report (at most a few of each kind)
 */
public record Figures(int accepted, int ended, int endedAsMeant, int lost, int stuck, int early, int duplicates,
                      int explained, List<String> problems) {

    public int unexplained() {
        return duplicates - explained;
    }

    public boolean pass() {
        return lost == 0 && stuck == 0 && early == 0 && unexplained() == 0 && endedAsMeant == ended;
    }
}
