package dev.taskscheduler.worker.handler;

/** A failure that another attempt cannot fix (bad payload, permanent rejection): no retries. */
public class NonRetryableTaskException extends RuntimeException {

    public NonRetryableTaskException(String message) {
        super(message);
    }

    public NonRetryableTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
