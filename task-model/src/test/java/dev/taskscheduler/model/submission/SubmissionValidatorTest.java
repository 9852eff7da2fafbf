package dev.taskscheduler.model.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SubmissionValidatorTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    private final SubmissionValidator validator =
            new SubmissionValidator(SubmissionLimits.standard(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldRunAtOnceWhenNoTimeIsGiven() {
        ValidSubmission valid = validator.validate(submission("noop", "{}", null, null, null));

        assertThat(valid.runAt()).isEqualTo(NOW);
        assertThat(valid.maxRetries()).isEqualTo(TaskDefaults.standard().maxRetries());
        assertThat(valid.timeout()).isEqualTo(TaskDefaults.standard().timeout());
        assertThat(valid.retry()).isEqualTo(TaskDefaults.standard().retry());
        assertThat(valid.payloadJson()).isEqualTo("{}");
    }

    @Test
    void shouldResolveRunAtWithItsOffset() {
        ValidSubmission valid = validator.validate(submission("noop", null, "2030-01-01T12:00:00+02:00", null, 5));

        assertThat(valid.runAt()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(valid.maxRetries()).isEqualTo(5);
    }

    @Test
    void shouldResolveDelayFromNow() {
        ValidSubmission valid = validator.validate(submission("noop", null, null, "PT30S", null));

        assertThat(valid.runAt()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void shouldDefaultToNormalPriorityAndRefuseAnUnknownOne() {
        assertThat(validator.validate(submission("noop", null, null, null, null)).priority())
                .isEqualTo(TaskPriority.NORMAL);
        assertThat(validator.validate(new TaskSubmission("noop", null, null, null, null, null, null, null, "high"))
                .priority()).isEqualTo(TaskPriority.HIGH);
        assertThatThrownBy(() -> validator.validate(
                new TaskSubmission("noop", null, null, null, null, null, null, null, "urgent")))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .containsExactly(new FieldViolation("priority", "must be one of [high, normal, low]")));
    }

    @Test
    void shouldNameEveryInvalidField() {
        assertThatThrownBy(() -> validator.validate(submission(" ", "[1]", "tomorrow", null, -1)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field)
                        .containsExactly("type", "payload", "runAt", "maxRetries"));
    }

    @Test
    void shouldNameAMissingTypeAlongsideTheOtherFields() {
        assertThatThrownBy(() -> validator.validate(submission(null, null, null, null, -1)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field)
                        .containsExactly("type", "maxRetries"));
    }

    @Test
    void shouldApplyTheDefaultsOfTheTaskTypeAndLetTheSubmissionOverrideThem() {
        TaskDefaults reports = new TaskDefaults(7, Duration.ofMinutes(30),
                new RetryPolicy(Duration.ofSeconds(10), 3.0, Duration.ofHours(1)));
        SubmissionLimits standard = SubmissionLimits.standard();
        SubmissionValidator typed = new SubmissionValidator(new SubmissionLimits(standard.maxPayloadBytes(),
                standard.maxRetriesLimit(), standard.maxTimeout(), standard.maxPastAge(), standard.horizon(),
                standard.defaults(), Map.of("report", reports)), Clock.fixed(NOW, ZoneOffset.UTC));

        ValidSubmission byDefault = typed.validate(submission("report", null, null, null, null));
        ValidSubmission overridden = typed.validate(new TaskSubmission("report", null, null, null, 1, "PT10S",
                new RetryRequest("PT1S", null, null), null, null));

        assertThat(byDefault.maxRetries()).isEqualTo(7);
        assertThat(byDefault.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(byDefault.retry()).isEqualTo(reports.retry());
        assertThat(overridden.maxRetries()).isEqualTo(1);
        assertThat(overridden.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(overridden.retry()).isEqualTo(new RetryPolicy(Duration.ofSeconds(1), 3.0, Duration.ofHours(1)));
    }

    @Test
    void shouldNameInvalidTimeoutAndRetryFields() {
        assertThatThrownBy(() -> validator.validate(new TaskSubmission("noop", null, null, null, null, "PT0S",
                new RetryRequest("soon", 0.5, null), null, null)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field)
                        .containsExactly("timeout", "retry.initialDelay", "retry.multiplier"));
    }

    @Test
    void shouldRejectRunAtAndDelayTogether() {
        assertThatThrownBy(() -> validator.validate(submission("noop", null, "2030-01-01T10:00:00Z", "PT1S", null)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class,
                        e -> assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("delay"));
    }

    @Test
    void shouldRejectTimesOutsideTheAcceptedWindow() {
        assertThatThrownBy(() -> validator.validate(submission("noop", null, "2029-12-01T00:00:00Z", null, null)))
                .hasMessageContaining("runAt: must not be more than PT24H in the past");
        assertThatThrownBy(() -> validator.validate(submission("noop", null, "2040-01-01T00:00:00Z", null, null)))
                .hasMessageContaining("runAt: must not be more than PT8760H in the future");
        assertThatThrownBy(() -> validator.validate(submission("noop", null, null, "-PT1S", null)))
                .hasMessageContaining("delay: must not be negative");
    }

    @Test
    void shouldRejectPayloadsPostgresCannotStore() {
        assertThatThrownBy(() -> validator.validate(submission("noop", "{\"a\":\"x\\u0000y\"}", null, null, null)))
                .hasMessageContaining("payload: must not contain NUL characters");
    }

    @Test
    void shouldRejectPayloadNumbersTooLongToBeReadBackOnceStoredWrittenOut() {
        assertThatThrownBy(() -> validator.validate(submission("noop", "{\"a\":[{\"b\":1e300}]}", null, null, null)))
                .hasMessageContaining("payload: numbers must have at most 100 characters");
        assertThatThrownBy(() -> validator.validate(submission("noop", "{\"a\":-1e-99}", null, null, null)))
                .hasMessageContaining("payload: numbers must have at most 100 characters");

        assertThat(validator.validate(submission("noop", "{\"a\":1e99,\"b\":-1e-97}", null, null, null))
                .payloadJson()).isEqualTo("{\"a\":1E+99,\"b\":-1E-97}");
    }

    @Test
    void shouldKeepEveryDigitOfAPayloadNumber() {
        String payload = "{\"pi\":3.14159265358979323846264338327950288,\"big\":1E+90,\"price\":2.50}";

        assertThat(validator.validate(submission("noop", payload, null, null, null)).payloadJson()).isEqualTo(payload);
    }

    @Test
    void shouldMeasureNumbersAsPostgresWritesThemOut() {
        assertThat(SubmissionValidator.writtenOutLength(new BigDecimal("1e2"))).isEqualTo("100".length());
        assertThat(SubmissionValidator.writtenOutLength(new BigDecimal("-12.5"))).isEqualTo("-12.5".length());
        assertThat(SubmissionValidator.writtenOutLength(new BigDecimal("0.05"))).isEqualTo("0.05".length());
        assertThat(SubmissionValidator.writtenOutLength(new BigDecimal("0.00"))).isEqualTo("0.00".length());
        assertThat(SubmissionValidator.writtenOutLength(new BigDecimal("-7"))).isEqualTo("-7".length());
    }

    @Test
    void shouldRejectOversizedPayloads() {
        String big = "{\"data\":\"" + "x".repeat(SubmissionLimits.standard().maxPayloadBytes()) + "\"}";

        assertThatThrownBy(() -> validator.validate(submission("noop", big, null, null, null)))
                .hasMessageContaining("payload: must be at most");
    }

    @Test
    void shouldFingerprintTheRequestAsSent() {
        TaskSubmission first = keyed(submission("noop", "{\"a\":1}", null, "PT5S", null));

        assertThat(validator.validate(first).fingerprint()).isNotNull()
                .isEqualTo(validator.validate(keyed(submission("noop", "{\"a\":1}", null, "PT5S", null))).fingerprint())
                .isNotEqualTo(validator.validate(keyed(submission("noop", "{\"a\":2}", null, "PT5S", null))).fingerprint());
    }

    @Test
    void shouldNotFingerprintARequestWithoutAnIdempotencyKey() {
        assertThat(validator.validate(submission("noop", "{\"a\":1}", null, "PT5S", null)).fingerprint()).isNull();
    }

    private static TaskSubmission keyed(TaskSubmission submission) {
        return submission.withIdempotencyKey("order-42");
    }

    @Test
    void shouldRefuseADelayTooLargeForAnInstantAsBeyondTheHorizon() {
        assertThatThrownBy(() -> validator.validate(submission("noop", null, null, "PT10000000000000H", null)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("delay"));
    }

    @Test
    void shouldRefuseATimeoutShorterThanAMillisecond() {
        assertThatThrownBy(() -> validator.validate(
                new TaskSubmission("noop", null, null, null, null, "PT0.0001S", null, null, null)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("timeout"));
    }

    @Test
    void shouldRefuseAMultiplierThatIsNotANumber() {
        assertThatThrownBy(() -> validator.validate(new TaskSubmission("noop", null, null, null, null, null,
                new RetryRequest(null, Double.NaN, null), null, null)))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("retry.multiplier"));
    }

    @Test
    void shouldCountADelayFromWhenTheSubmissionWasReceived() {
        Instant producedADayAgo = NOW.minus(Duration.ofDays(1));

        ValidSubmission valid = validator.validate(submission("noop", null, null, "PT1H", null), producedADayAgo);

        assertThat(valid.runAt()).isEqualTo(producedADayAgo.plus(Duration.ofHours(1)));
    }

    @Test
    void shouldJudgeRunAtAgainstWhenTheSubmissionWasReceived() {
        Instant producedTwoDaysAgo = NOW.minus(Duration.ofDays(2));
        String runAtThen = producedTwoDaysAgo.plusSeconds(60).toString();

        assertThat(validator.validate(submission("noop", null, runAtThen, null, null), producedTwoDaysAgo).runAt())
                .isEqualTo(Instant.parse(runAtThen));
        assertThatThrownBy(() -> validator.validate(submission("noop", null, runAtThen, null, null)))
                .hasMessageContaining("runAt: must not be more than");
    }

    private static TaskSubmission submission(String type, String payload, String runAt, String delay,
            Integer maxRetries) {
        JsonNode node = payload == null ? null : Json.mapper().readTree(payload);
        return new TaskSubmission(type, node, runAt, delay, maxRetries, null, null, null, null);
    }
}
