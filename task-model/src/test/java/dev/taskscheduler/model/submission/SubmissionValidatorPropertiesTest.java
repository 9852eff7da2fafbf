package dev.taskscheduler.model.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a client sends, validation either accepts a submission whose every value can be stored
 * and scheduled, or rejects it with field violations; it never fails in another way (which a REST
 * client would see as a 500 and the submission topic as a record that blocks its partition).
 */
class SubmissionValidatorPropertiesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private final SubmissionLimits limits = SubmissionLimits.standard();
    private final SubmissionValidator validator = new SubmissionValidator(limits, Clock.fixed(NOW, ZoneOffset.UTC));

    @Property(tries = 2000)
    void acceptsOnlyStorableSubmissionsAndRejectsTheRestWithViolations(@ForAll("submissions") TaskSubmission submission) {
        ValidSubmission valid;
        try {
            valid = validator.validate(submission);
        } catch (InvalidSubmissionException rejected) {
            assertThat(rejected.violations()).isNotEmpty();
            return;
        }
        assertThat(valid.runAt()).isBetween(NOW.minus(limits.maxPastAge()), NOW.plus(limits.horizon()));
        assertThat(valid.timeout()).isBetween(Duration.ofMillis(1), limits.maxTimeout());
        assertThat(valid.timeout().toMillis()).isPositive();
        assertThat(valid.retry().multiplier()).isBetween(1.0, 10.0);
        assertThat(valid.retry().maxDelay()).isLessThanOrEqualTo(limits.horizon());
        assertThatCode(() -> valid.retry().maxDelay().toMillis()).doesNotThrowAnyException();
        assertThat(valid.maxRetries()).isBetween(0, limits.maxRetriesLimit());
    }

    @Property(tries = 500)
    void aDueTimeIsEitherWithinTheLimitsOrRefused(@ForAll("times") String runAt, @ForAll("durations") String delay) {
        try {
            Instant due = validator.validateDueTime(runAt, delay);
            assertThat(due).isBetween(NOW.minus(limits.maxPastAge()), NOW.plus(limits.horizon()));
        } catch (InvalidSubmissionException rejected) {
            assertThat(rejected.violations()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<TaskSubmission> submissions() {
        Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of("noop", "http", "", " ", "a".repeat(101)),
                Arbitraries.strings().ofMaxLength(120)).injectNull(0.05);
        Arbitrary<Integer> maxRetries = Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.integers().between(-1, 101)).injectNull(0.3);
        Arbitrary<RetryRequest> retry = Combinators.combine(durations().injectNull(0.3), multipliers(),
                durations().injectNull(0.3)).as(RetryRequest::new).injectNull(0.3);
        Arbitrary<String> priority = Arbitraries.oneOf(Arbitraries.of("high", "normal", "low", "HIGH", ""),
                Arbitraries.strings().ofMaxLength(10)).injectNull(0.5);
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(250),
                Arbitraries.strings().alpha().ofLength(20)).injectNull(0.5);
        return Combinators.combine(type, times().injectNull(0.5), durations().injectNull(0.5), maxRetries,
                        durations().injectNull(0.5), retry, key, priority)
                .as((t, runAt, delay, retries, timeout, backoff, idempotencyKey, prio) ->
                        new TaskSubmission(t, null, runAt, delay, retries, timeout, backoff, idempotencyKey, prio));
    }

    /** ISO-8601 durations from the sensible to the absurd: tiny fractions, huge counts, signs, garbage. */
    @Provide
    Arbitrary<String> durations() {
        Arbitrary<String> unit = Arbitraries.of("S", "M", "H");
        Arbitrary<String> amount = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 100).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0.0001", "0.001", "-1", "10000000000000", "99999999999999", "0.5", "1e3"));
        Arbitrary<String> wellFormed = Combinators.combine(Arbitraries.of("PT", "-PT", "P1DT", "P-1DT"), amount, unit)
                .as((prefix, n, u) -> prefix + n + u);
        return Arbitraries.oneOf(wellFormed, Arbitraries.of("PT30S", "P365D", "P366D", "PT0S", "", "soon", "P"),
                Arbitraries.strings().ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(1, 9999).map("%04d"::formatted),
                Arbitraries.of("+999999999", "-999999999", "+10000"));
        Arbitrary<String> wellFormed = Combinators.combine(year, Arbitraries.of("Z", "+02:00", "-18:00", "+18:00"))
                .as((y, offset) -> y + "-01-01T10:00:00" + offset);
        return Arbitraries.oneOf(wellFormed, Arbitraries.of("2030-01-01T10:00:00Z", "2029-12-31T10:00:00Z",
                "2030-01-01T10:00:00", "tomorrow", ""), Arbitraries.strings().ofMaxLength(30));
    }

    private static Arbitrary<Double> multipliers() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, 1.0, 10.0,
                                10.000001, Double.MAX_VALUE, -Double.MIN_VALUE))
                .injectNull(0.3);
    }
}
