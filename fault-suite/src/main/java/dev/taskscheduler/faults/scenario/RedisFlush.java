package dev.taskscheduler.faults.scenario;

import java.time.Duration;

/** FLUSHALL: the status cache, the workers' heartbeat keys and the limits' permits vanish at once. */
public final class RedisFlush implements Fault {

    @Override
    public String description() {
        return "Redis FLUSHALL (status cache, heartbeat keys and permits gone), twice 5 s apart";
    }

    @Override
    public void begin(ScenarioContext context) {
        context.system().flushRedis();
    }

    @Override
    public Duration hold() {
        return Duration.ofSeconds(5);
    }

    @Override
    public void end(ScenarioContext context) {
        context.system().flushRedis();
    }
}
