package dev.taskscheduler.scheduler.punctuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which punctuation is armed when: Kafka's mock context records every schedule and cancel. */
class DuePunctuationTest {

    private static final long NOW = 1_000_000;
    private static final PunctuationTiming TIMING = new PunctuationTiming(Duration.ofMillis(20), Duration.ofSeconds(5));

    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration IDLE_POLL = Duration.ofMinutes(1);

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final PunctuationAlarms alarms = new PunctuationAlarms(Duration.ofMillis(100));
    /** What the body reports as next due, one answer per run. */
    private final Deque<Long> nextDue = new ArrayDeque<>();
    private final List<Long> runs = new ArrayList<>();
    private DuePunctuation punctuation;

    @BeforeEach
    void setUp() {
        context.setCurrentSystemTimeMs(NOW);
        punctuation = new DuePunctuation(context, TIMING, alarms, now -> {
            runs.add(now);
            return nextDue.pop();
        });
    }

    @Test
    void shouldWaitTheIdleCheckWhenNothingIsDue() {
        punctuation.start(DuePunctuation.NOTHING_DUE);

        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void shouldRunSoonAfterStartingWithTimersInTheStores() {
        punctuation.start(NOW + 1_500);

        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(20)));
    }

    @Test
    void shouldBeArmedByTheFirstTimerAddedAfterStartingWhateverItsDueTime() {
        punctuation.start(NOW + 100);

        punctuation.dueAt(NOW + 1_500);

        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(1_500)));
    }

    @Test
    void shouldComeForwardForAnEarlierTimerAndIgnoreALaterOne() {
        punctuation.start(DuePunctuation.NOTHING_DUE);

        punctuation.dueAt(NOW + 300);
        punctuation.dueAt(NOW + 4_000);

        assertThat(context.scheduledPunctuators()).hasSize(2);
        assertThat(context.scheduledPunctuators().get(0).cancelled()).isTrue();
        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void shouldNeverRunMoreOftenThanItsResolution() {
        punctuation.start(DuePunctuation.NOTHING_DUE);

        punctuation.dueAt(NOW + 1);

        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(20)));
    }

    @Test
    void shouldRearmAfterEachRunForWhatTheBodyReports() {
        punctuation.start(NOW + 100);
        punctuation.dueAt(NOW + 100);

        nextDue.push(NOW + 100); // the budget ran out: more is due now
        context.setCurrentSystemTimeMs(NOW + 100);
        active().get(0).getPunctuator().punctuate(NOW + 100);
        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(20)));

        nextDue.push(DuePunctuation.NOTHING_DUE);
        context.setCurrentSystemTimeMs(NOW + 120);
        active().get(0).getPunctuator().punctuate(NOW + 120);
        assertThat(active()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(runs).containsExactly(NOW + 100, NOW + 120);
    }

    @Test
    void shouldKeepTheRunningScheduleWhenTheIntervalStaysTheSame() {
        punctuation.start(NOW + 20);

        nextDue.push(NOW + 30);
        context.setCurrentSystemTimeMs(NOW + 20);
        active().get(0).getPunctuator().punctuate(NOW + 20);

        assertThat(context.scheduledPunctuators()).hasSize(1);
    }

    @Test
    void shouldKeepTheStreamThreadOnShortPollsUntilItsFirstRun() {
        punctuation.start(DuePunctuation.NOTHING_DUE);

        assertThat(alarms.pollTimeout(POLL, IDLE_POLL, NOW)).isEqualTo(POLL);
    }

    @Test
    void shouldLetTheStreamThreadSleepUntilItsNextRun() {
        punctuation.start(DuePunctuation.NOTHING_DUE);

        punctuation.dueAt(NOW + 1_500);

        assertThat(alarms.pollTimeout(POLL, IDLE_POLL, NOW)).isEqualTo(Duration.ofMillis(1_500));
        assertThat(alarms.pollTimeout(POLL, IDLE_POLL, NOW + 1_000)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldLetTheStreamThreadSleepUntilTheRunAfterTheOneThatRan() {
        punctuation.start(NOW + 100);
        punctuation.dueAt(NOW + 100);
        nextDue.push(NOW + 700);
        context.setCurrentSystemTimeMs(NOW + 100);

        active().get(0).getPunctuator().punctuate(NOW + 100);

        assertThat(alarms.pollTimeout(POLL, IDLE_POLL, NOW + 100)).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void shouldCancelItsRunAndAlarmWhenStopped() {
        punctuation.start(DuePunctuation.NOTHING_DUE);
        punctuation.dueAt(NOW + 300);

        punctuation.stop();

        assertThat(active()).isEmpty();
        assertThat(alarms.pollTimeout(POLL, IDLE_POLL, NOW)).isEqualTo(IDLE_POLL);
    }

    private List<CapturedPunctuator> active() {
        return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).toList();
    }
}
