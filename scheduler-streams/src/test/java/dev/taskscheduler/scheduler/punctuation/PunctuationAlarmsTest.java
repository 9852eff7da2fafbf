package dev.taskscheduler.scheduler.punctuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * How long a stream thread's poll may block: never shorter than Kafka Streams asks (records and
 * rebalances keep their pace), never past the earliest alarm (a timer fires on time), never past
 * the idle poll, and exactly what Kafka Streams asks while busy or rebalancing.
 */
class PunctuationAlarmsTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Duration BUSY = Duration.ofMillis(100);

    @Property(tries = 2_000)
    void waitsAtLeastTheRequestAndNoLongerThanTheEarliestAlarmOrTheIdlePoll(
            @ForAll @LongRange(min = 1, max = 1_000) long requested,
            @ForAll @LongRange(min = 1, max = 60_000) long idlePoll,
            @ForAll @Size(max = 5) List<@LongRange(min = -10_000, max = 100_000) Long> alarmsFromNow) {
        PunctuationAlarms alarms = new PunctuationAlarms(BUSY);
        for (int i = 0; i < alarmsFromNow.size(); i++) {
            alarms.set("punctuation " + i, NOW + alarmsFromNow.get(i));
        }

        long waited = alarms.pollTimeout(Duration.ofMillis(requested), Duration.ofMillis(idlePoll), NOW).toMillis();

        assertThat(waited).isGreaterThanOrEqualTo(requested);
        assertThat(waited).isLessThanOrEqualTo(Math.max(requested, idlePoll));
        long earliest = alarmsFromNow.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        assertThat(waited).isLessThanOrEqualTo(Math.max(requested, earliest));
        if (earliest > Math.max(requested, idlePoll)) {
            assertThat(waited).as("nothing due within the idle poll").isEqualTo(Math.max(requested, idlePoll));
        } else if (earliest > requested) {
            assertThat(waited).as("wakes for the earliest alarm").isEqualTo(earliest);
        }
    }

    @Property(tries = 500)
    void pollsAsAskedForACommitIntervalAfterRecords(
            @ForAll @LongRange(min = 0, max = 99) long sinceRecords,
            @ForAll @LongRange(min = 0, max = 1_000) long requested) {
        PunctuationAlarms alarms = new PunctuationAlarms(BUSY);
        alarms.recordsArrived(NOW);

        assertThat(alarms.pollTimeout(Duration.ofMillis(requested), Duration.ofSeconds(1), NOW + sinceRecords))
                .isEqualTo(Duration.ofMillis(requested));
        long positive = Math.max(requested, 1);
        assertThat(alarms.pollTimeout(Duration.ofMillis(positive), Duration.ofSeconds(1), NOW + 100))
                .as("quiet again after the commit interval").isEqualTo(Duration.ofMillis(Math.max(positive, 1_000)));
    }

    @Property(tries = 200)
    void neverExtendsAZeroPoll(@ForAll @Size(max = 3) List<@LongRange(min = -10_000, max = 100_000) Long> alarmsFromNow) {
        PunctuationAlarms alarms = new PunctuationAlarms(BUSY);
        for (int i = 0; i < alarmsFromNow.size(); i++) {
            alarms.set("punctuation " + i, NOW + alarmsFromNow.get(i));
        }

        assertThat(alarms.pollTimeout(Duration.ZERO, Duration.ofSeconds(1), NOW)).isZero();
    }

    @Property(tries = 200)
    void forgetsAClearedAlarm(@ForAll @LongRange(min = 11, max = 999) long alarmFromNow) {
        PunctuationAlarms alarms = new PunctuationAlarms(BUSY);
        alarms.set("closed task", NOW + alarmFromNow);
        alarms.clear("closed task");

        assertThat(alarms.pollTimeout(Duration.ofMillis(10), Duration.ofSeconds(1), NOW)).isEqualTo(Duration.ofSeconds(1));
    }
}
