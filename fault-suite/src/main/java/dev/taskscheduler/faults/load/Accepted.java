package dev.taskscheduler.faults.load;

import java.time.Instant;
import java.util.UUID;

/**
 * A task the system accepted, in the load generator's own ledger: over REST its id came back in a
 * 202 (alone) or in a batch's item result; over the topic the broker acknowledged its record, and
 * its id is found later by the record's key, which is the task's idempotency key.
 *
 * @param id             the task id, null for a topic record until it is looked up
 * @param notBefore      the earliest moment it may start (its runAt, or the delay from submission)
 * @param expected       how its handler means it to end
 */
public record Accepted(Channel channel, UUID id, String idempotencyKey, Instant notBefore, Expected expected,
                       Instant acceptedAt) {

    public enum Channel { REST, BATCH, TOPIC, PROBE }

    public enum Expected { SUCCEEDED, DEAD_LETTER }

    public Accepted withId(UUID found) {
        return new Accepted(channel, found, idempotencyKey, notBefore, expected, acceptedAt);
    }
}
