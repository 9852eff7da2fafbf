package dev.taskscheduler.launcher.process;

import java.util.Arrays;

/** The parts of the system that the process mode runs as processes of their own, in start order. */
public enum Part {
    KAFKA("kafka", false),
    POSTGRES("postgres", false),
    REDIS("redis", false),
    OUTBOX_RELAY("outbox-relay", true),
    API_SERVER("api-server", true),
    SCHEDULER("scheduler", true),
    WORKER("worker", true);

    private final String id;
    private final boolean service;

    Part(String id, boolean service) {
        this.id = id;
        this.service = service;
    }

    /** The name used in logs, file names and command lines. */
    public String id() {
        return id;
    }

    public boolean isService() {
        return service;
    }

    public static Part named(String id) {
        return Arrays.stream(values()).filter(part -> part.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No part " + id));
    }
}
