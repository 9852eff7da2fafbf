package dev.taskscheduler.api;

import dev.taskscheduler.testsupport.Infrastructure;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/** An api-server on the shared test infrastructure, on a free port, for the tests of this module. */
public final class RunningApiServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningApiServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** @param extraArgs further {@code --key=value} settings */
    public static RunningApiServer start(Infrastructure infrastructure, String... extraArgs) {
        String[] args = Stream.of(infrastructure.springArguments(),
                        new String[] {"--server.port=0", "--spring.main.banner-mode=off"}, extraArgs)
                .flatMap(Stream::of)
                .toArray(String[]::new);
        return new RunningApiServer(IngestApiApplication.builder().run(args));
    }

    public String baseUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
