package dev.taskscheduler.launcher;

/**
 * HTTP ports of the four services (API and actuator endpoints); 0 picks a free port.
 */
public record ServicePorts(int apiServer, int outboxRelay, int scheduler, int worker) {

    public static ServicePorts random() {
        return new ServicePorts(0, 0, 0, 0);
    }

    /** The API on {@code apiPort}, the other services on the three ports after it. */
    public static ServicePorts from(int apiPort) {
        return new ServicePorts(apiPort, apiPort + 1, apiPort + 2, apiPort + 3);
    }
}
