package dev.taskscheduler.launcher.testing;

import dev.taskscheduler.launcher.InfrastructureEndpoints;
import dev.taskscheduler.launcher.ServicePorts;
import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.testsupport.Infrastructure;
import java.nio.file.Path;

/** The whole system started on the tests' shared infrastructure, on free ports. */
public final class TestSystems {

    private TestSystems() {
    }

    public static InfrastructureEndpoints endpointsOf(Infrastructure infrastructure) {
        return new InfrastructureEndpoints(infrastructure.kafkaBootstrapServers(), infrastructure.jdbcUrl(),
                infrastructure.jdbcUsername(), infrastructure.jdbcPassword(), infrastructure.redisUrl());
    }

    public static TaskSchedulerSystem start(Infrastructure infrastructure, Path stateDir, String... args) {
        return TaskSchedulerSystem.start(endpointsOf(infrastructure), ServicePorts.random(), stateDir, args);
    }
}
