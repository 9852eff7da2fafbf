package dev.taskscheduler.faults.load;

/**
 * A submission the system never accepted, and why: the answer that refused it (status code and the
 * start of its body) or, after every try went unanswered, the last error. Listed in the report so
 * that no refusal is silent.
 */
public record Refusal(Accepted.Channel channel, String idempotencyKey, String reason) {

    private static final int MAX_REASON = 160;

    public Refusal {
        reason = reason == null ? "no reason given" : reason.replaceAll("\\s+", " ").strip();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "…";
        }
    }

    /** The reason an exception gives: its type and message. */
    public static String of(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
