package dev.taskscheduler.launcher;

/**
 * HTTP ports of the four services: each has its service port (the API, or only the probes) and a
 * management port for the actuator (metrics, health details); 0 picks a free port.
 */
public record ServicePorts(int apiServer, int outboxRelay, int scheduler, int worker, int managementOffset) {

    /** Management ports are the service ports plus this many (8080 → 8090, …). */
    public static final int MANAGEMENT_OFFSET = 10;

    public static ServicePorts random() {
        return new ServicePorts(0, 0, 0, 0, 0);
    }

    /** The API on {@code apiPort}, the other services on the three ports after it. */
    public static ServicePorts from(int apiPort) {
        return new ServicePorts(apiPort, apiPort + 1, apiPort + 2, apiPort + 3, MANAGEMENT_OFFSET);
    }

    /** The management port of the service on {@code servicePort}; 0 stays 0 (a free port). */
    public int managementPort(int servicePort) {
        return servicePort == 0 ? 0 : servicePort + managementOffset;
    }
}
