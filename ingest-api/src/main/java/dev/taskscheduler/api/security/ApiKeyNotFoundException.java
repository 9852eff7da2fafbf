package dev.taskscheduler.api.security;

import java.util.UUID;

/** No active API key has this id. */
public class ApiKeyNotFoundException extends RuntimeException {

    public ApiKeyNotFoundException(UUID id) {
        super("No active API key has the id " + id);
    }
}
