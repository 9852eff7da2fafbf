package dev.taskscheduler.model.submission;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.RetryPolicy;
import dev.taskscheduler.model.TaskPriority;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The rules every submission must meet, whichever way it arrived. Collects every violation so the
 * client sees all of them at once.
 */
public final class SubmissionValidator {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    /** PostgreSQL writes a stored number out in full; the JSON readers refuse longer numbers. */
    private static final int MAX_NUMBER_CHARACTERS = Json.READ_CONSTRAINTS.getMaxNumberLength();

    private final SubmissionLimits limits;
    private final Clock clock;

    public SubmissionValidator(SubmissionLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public ValidSubmission validate(TaskSubmission submission) {
        return validate(submission, clock.instant());
    }

    /**
     * Validates a submission as of {@code receivedAt}: the moment it was handed to the system, which
     * for a record of the submission topic is when it was produced, not when it is read. A delay
     * counts from then, and the limits on {@code runAt} apply then, so a consumer that was down for
     * a day neither rejects nor postpones work that was valid when it was sent.
     */
    public ValidSubmission validate(TaskSubmission submission, Instant receivedAt) {
        List<FieldViolation> violations = new ArrayList<>();
        if (submission == null) {
            throw new InvalidSubmissionException("body", "must be a JSON object");
        }
        checkType(submission.type(), violations);
        TaskDefaults defaults = limits.defaultsFor(submission.type());
        String payloadJson = checkPayload(submission, violations);
        Instant runAt = resolveRunAt(submission, receivedAt, violations);
        int maxRetries = checkMaxRetries(submission.maxRetries(), defaults, violations);
        Duration timeout = resolveTimeout(submission.timeout(), defaults, violations);
        RetryPolicy retry = resolveRetry(submission.retry(), defaults, violations);
        TaskPriority priority = resolvePriority(submission.priority(), violations);
        String key = submission.idempotencyKey();
        if (key != null && (key.isBlank() || key.codePointCount(0, key.length()) > MAX_IDEMPOTENCY_KEY_LENGTH
                || key.chars().anyMatch(Character::isISOControl))) {
            violations.add(new FieldViolation("idempotencyKey",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSubmissionException(violations);
        }
        // Only a key is ever compared with a fingerprint: without one, hashing the request would cost
        // every submission a JSON write and a SHA-256, and its row and cache entry 64 characters.
        return new ValidSubmission(submission.type(), payloadJson, atMillis(runAt), maxRetries, timeout, retry, key,
                key == null ? null : fingerprint(submission, payloadJson), priority);
    }

    /**
     * Resolves a new due time for an existing task from {@code runAt} or {@code delay}, under the
     * same rules as a submission.
     */
    public Instant validateDueTime(String runAt, String delay) {
        List<FieldViolation> violations = new ArrayList<>();
        if (runAt == null && delay == null) {
            throw new InvalidSubmissionException("runAt", "give runAt or delay");
        }
        Instant due = resolveRunAt(new TaskSubmission("x", null, runAt, delay, null, null, null, null, null),
                clock.instant(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidSubmissionException(violations);
        }
        return atMillis(due);
    }

    /**
     * Due times are kept to the millisecond, rounded up: events and timers count in milliseconds,
     * and rounding down would make a task due before the moment asked for.
     */
    private static Instant atMillis(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(instant) ? millis : millis.plusMillis(1);
    }

    /** Whether {@code type} is a valid task type name. */
    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    private static void checkType(String type, List<FieldViolation> violations) {
        if (type == null || type.isBlank()) {
            violations.add(new FieldViolation("type", "is required"));
        } else if (!TYPE.matcher(type).matches()) {
            violations.add(new FieldViolation("type",
                    "must be 1 to 100 characters of letters, digits, '.', '_', ':' or '-'"));
        }
    }

    private String checkPayload(TaskSubmission submission, List<FieldViolation> violations) {
        if (submission.payload() == null || submission.payload().isNull()) {
            return "{}";
        }
        if (!submission.payload().isObject()) {
            violations.add(new FieldViolation("payload", "must be a JSON object"));
            return null;
        }
        String json = Json.write(submission.payload());
        if (json.contains("\\u0000")) {
            // PostgreSQL's jsonb cannot store NUL characters; reject here rather than fail later.
            violations.add(new FieldViolation("payload", "must not contain NUL characters"));
        }
        if (hasNumberTooLongWrittenOut(submission.payload())) {
            violations.add(new FieldViolation("payload", "numbers must have at most " + MAX_NUMBER_CHARACTERS
                    + " characters when written out in full (1e300 has 301)"));
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > limits.maxPayloadBytes()) {
            violations.add(new FieldViolation("payload",
                    "must be at most " + limits.maxPayloadBytes() + " bytes of JSON"));
        }
        return json;
    }

    /**
     * PostgreSQL keeps a payload's numbers exactly and writes them without exponent ({@code 1e300}
     * comes back as 301 digits), which no reader of the task would accept: such a number is refused
     * here, where the client can be told, rather than break every later read of the task.
     */
    private static boolean hasNumberTooLongWrittenOut(JsonNode payload) {
        Deque<JsonNode> pending = new ArrayDeque<>(List.of(payload));
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isNumber() && writtenOutLength(node.decimalValue()) > MAX_NUMBER_CHARACTERS) {
                return true;
            }
            if (node.isContainer()) {
                node.values().forEach(pending::push);
            }
        }
        return false;
    }

    /** Characters of {@code value} written without exponent, computed without writing it out. */
    static long writtenOutLength(BigDecimal value) {
        long precision = value.precision();
        long scale = value.scale();
        long sign = value.signum() < 0 ? 1 : 0;
        if (scale <= 0) {
            return sign + precision - scale;
        }
        return sign + (scale >= precision ? scale + 2 : precision + 1);
    }

    private Instant resolveRunAt(TaskSubmission submission, Instant now, List<FieldViolation> violations) {
        if (submission.runAt() != null && submission.delay() != null) {
            violations.add(new FieldViolation("delay", "give either runAt or delay, not both"));
            return now;
        }
        if (submission.delay() != null) {
            return resolveDelay(submission.delay(), now, violations);
        }
        if (submission.runAt() == null) {
            return now;
        }
        Instant runAt;
        try {
            runAt = OffsetDateTimes.parse(submission.runAt());
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation("runAt",
                    "must be an ISO-8601 date-time with offset, e.g. 2030-01-01T10:00:00Z"));
            return now;
        }
        if (runAt.isBefore(now.minus(limits.maxPastAge()))) {
            violations.add(new FieldViolation("runAt",
                    "must not be more than " + limits.maxPastAge() + " in the past"));
        } else if (runAt.isAfter(now.plus(limits.horizon()))) {
            violations.add(new FieldViolation("runAt",
                    "must not be more than " + limits.horizon() + " in the future"));
        }
        return runAt;
    }

    private Instant resolveDelay(String text, Instant now, List<FieldViolation> violations) {
        Duration delay = parseDuration(text, "delay", violations);
        if (delay == null) {
            return now;
        }
        if (delay.isNegative()) {
            violations.add(new FieldViolation("delay", "must not be negative"));
            return now;
        }
        if (delay.compareTo(limits.horizon()) > 0) {
            // Not added to now: a delay of billions of hours would overflow the instant.
            violations.add(new FieldViolation("delay", "must not exceed " + limits.horizon()));
            return now;
        }
        return now.plus(delay);
    }

    private int checkMaxRetries(Integer maxRetries, TaskDefaults defaults, List<FieldViolation> violations) {
        if (maxRetries == null) {
            return defaults.maxRetries();
        }
        if (maxRetries < 0 || maxRetries > limits.maxRetriesLimit()) {
            violations.add(new FieldViolation("maxRetries",
                    "must be between 0 and " + limits.maxRetriesLimit()));
        }
        return maxRetries;
    }

    private Duration resolveTimeout(String text, TaskDefaults defaults, List<FieldViolation> violations) {
        if (text == null) {
            return defaults.timeout();
        }
        Duration timeout = parseDuration(text, "timeout", violations);
        if (timeout != null && (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(limits.maxTimeout()) > 0)) {
            // Stored in milliseconds: anything shorter than one would be stored as zero.
            violations.add(new FieldViolation("timeout",
                    "must be between " + MIN_TIMEOUT + " and " + limits.maxTimeout()));
        }
        return timeout == null ? defaults.timeout() : timeout;
    }

    private RetryPolicy resolveRetry(RetryRequest request, TaskDefaults defaults, List<FieldViolation> violations) {
        RetryPolicy fallback = defaults.retry();
        if (request == null) {
            return fallback;
        }
        Duration initial = request.initialDelay() == null
                ? fallback.initialDelay() : parseDuration(request.initialDelay(), "retry.initialDelay", violations);
        Duration max = request.maxDelay() == null
                ? fallback.maxDelay() : parseDuration(request.maxDelay(), "retry.maxDelay", violations);
        double multiplier = request.multiplier() == null ? fallback.multiplier() : request.multiplier();
        if (!(multiplier >= 1 && multiplier <= 10)) { // also refuses NaN
            violations.add(new FieldViolation("retry.multiplier", "must be between 1 and 10"));
            return fallback;
        }
        if (initial == null || max == null) {
            return fallback;
        }
        if (initial.isNegative() || max.compareTo(initial) < 0 || max.compareTo(limits.horizon()) > 0) {
            violations.add(new FieldViolation("retry.maxDelay",
                    "must be at least retry.initialDelay (itself not negative) and at most " + limits.horizon()));
            return fallback;
        }
        return new RetryPolicy(initial, multiplier, max);
    }

    private static TaskPriority resolvePriority(String text, List<FieldViolation> violations) {
        try {
            return TaskPriority.fromValue(text);
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation("priority", "must be one of " + TaskPriority.allValues()));
            return TaskPriority.NORMAL;
        }
    }

    private static Duration parseDuration(String text, String field, List<FieldViolation> violations) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "must be an ISO-8601 duration, e.g. PT30S"));
            return null;
        }
    }

    /** Hash of the request as the client sent it (a delay stays a delay, not a computed time). */
    private static String fingerprint(TaskSubmission submission, String payloadJson) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("type", submission.type());
        canonical.put("payload", payloadJson);
        canonical.put("runAt", submission.runAt());
        canonical.put("delay", submission.delay());
        canonical.put("maxRetries", submission.maxRetries());
        canonical.put("timeout", submission.timeout());
        canonical.put("retry", submission.retry());
        canonical.put("priority", submission.priority());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
