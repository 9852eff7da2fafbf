package dev.taskscheduler.taskctl;

import tools.jackson.databind.JsonNode;

/** A request the api-server refused (with its problem details) or could not be sent. */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(String message) {
        this(0, message);
    }

    private ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 0 when the server was not reached. */
    int status() {
        return status;
    }

    static ApiException fromProblem(int status, JsonNode problem) {
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (problem.has("title")) {
            message.append(": ").append(problem.path("title").asString());
        }
        if (problem.has("detail")) {
            message.append(": ").append(problem.path("detail").asString());
        }
        for (JsonNode error : problem.path("errors")) {
            message.append(System.lineSeparator()).append("  ").append(error.path("field").asString())
                    .append(": ").append(error.path("message").asString());
        }
        return new ApiException(status, message.toString());
    }
}
