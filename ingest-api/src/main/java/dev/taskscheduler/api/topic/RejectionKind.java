package dev.taskscheduler.api.topic;

/** Why a submission record went to the invalid topic; the tag of the rejection counter. */
enum RejectionKind {
    /** Not a readable submission (not JSON, wrong JSON types, empty). */
    MALFORMED,
    /** Readable, but breaks a rule (field violations, an idempotency key reused for another request). */
    INVALID,
    /** Valid as far as the rules go, but storing it kept failing for another reason. */
    ERROR;

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
