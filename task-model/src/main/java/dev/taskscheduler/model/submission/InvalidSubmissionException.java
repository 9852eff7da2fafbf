package dev.taskscheduler.model.submission;

import java.util.List;
import java.util.stream.Collectors;

/** A submission broke one or more rules; nothing was stored. */
public class InvalidSubmissionException extends RuntimeException {

    private final List<FieldViolation> violations;

    public InvalidSubmissionException(List<FieldViolation> violations) {
        super(violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidSubmissionException(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
