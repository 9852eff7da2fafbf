package dev.taskscheduler.worker.handler.builtin.http;

import java.net.UnknownHostException;

/**
 * The http handler will not connect there. An {@link UnknownHostException} so that the HTTP
 * client's name resolution can raise it; the handler turns it into a non-retryable failure.
 */
final class DestinationRefusedException extends UnknownHostException {

    DestinationRefusedException(String reason) {
        super(reason);
    }
}
