package dev.taskscheduler.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

class LocalRedisTest {

    private static final Path DEPLOYED_CONFIG = Path.of("..", "deploy", "base", "redis", "redis.conf");

    @TempDir
    Path dataDir;

    @Test
    void setGetAndRestartKeepsData() throws IOException {
        int port;
        try (LocalRedis redis = LocalRedis.start(dataDir, 0)) {
            port = redis.port();
            assertThat(redis.redisUrl()).isEqualTo("redis://localhost:" + port);
            assertThat(command(port, "SET", "greeting", "hello")).isEqualTo("+OK");
            assertThat(command(port, "GET", "greeting")).isEqualTo("hello");
            assertThat(configValue(port, "appendonly")).isEqualTo("yes");
        }
        assertThat(dataDir.resolve("appendonly.aof")).exists();

        try (LocalRedis redis = LocalRedis.start(dataDir, port)) {
            assertThat(command(redis.port(), "GET", "greeting")).isEqualTo("hello");
        }
    }

    /** The status cache cannot grow without bound: Redis keeps the deployment's memory limit and eviction policy. */
    @Test
    void boundsItsMemoryLikeTheDeployedRedis() throws IOException {
        Map<String, String> deployed = deployedSettings();

        try (LocalRedis redis = LocalRedis.start(dataDir, 0)) {
            assertThat(configValue(redis.port(), "maxmemory")).isEqualTo(bytes(deployed, "maxmemory"));
            assertThat(configValue(redis.port(), "maxmemory-policy")).isEqualTo(deployed.get("maxmemory-policy"));
        }
    }

    /**
     * It persists as deployed: the append-only file, rewritten at the same growth with an uncompressed snapshot,
     * and no periodic RDB snapshots.
     */
    @Test
    void persistsLikeTheDeployedRedis() throws IOException {
        Map<String, String> deployed = deployedSettings();

        try (LocalRedis redis = LocalRedis.start(dataDir, 0)) {
            for (String name : List.of("appendonly", "appendfsync", "auto-aof-rewrite-percentage", "rdbcompression")) {
                assertThat(configValue(redis.port(), name)).as(name).isEqualTo(deployed.get(name));
            }
            assertThat(configValue(redis.port(), "auto-aof-rewrite-min-size"))
                    .isEqualTo(bytes(deployed, "auto-aof-rewrite-min-size"));
            assertThat(deployed.get("save")).isEqualTo("\"\"");
            assertThat(configValue(redis.port(), "save")).as("save").isEmpty();
        }
    }

    /** A deployed size in megabytes ({@code 384mb}) as Redis reports it: bytes, in decimal. */
    private static String bytes(Map<String, String> deployed, String name) {
        String value = deployed.get(name);
        assertThat(value).as("%s in %s", name, DEPLOYED_CONFIG).matches("\\d+mb");
        return String.valueOf(Long.parseLong(value.substring(0, value.length() - 2)) * 1024 * 1024);
    }

    /** The deployed redis.conf as setting name to value (the value as written, quotes included). */
    private static Map<String, String> deployedSettings() throws IOException {
        Map<String, String> deployed = new HashMap<>();
        for (String line : Files.readAllLines(DEPLOYED_CONFIG)) {
            String[] setting = line.strip().split("\\s+", 2);
            if (setting.length == 2 && !setting[0].startsWith("#")) {
                deployed.put(setting[0], setting[1]);
            }
        }
        return deployed;
    }

    /**
     * A redis-server left running by a JVM that was killed (its pid file in the data directory, the
     * port still taken) is stopped, and the new server starts on the same port with the data.
     */
    @Test
    void startsOnThePortAnOrphanedServerHolds() throws IOException {
        int port = FreePorts.pick();
        RedisServer orphan = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("dir \"" + dataDir + "\"")
                .setting("pidfile \"" + dataDir.resolve("redis.pid") + "\"")
                .setting("appendonly yes")
                .build();
        orphan.start();
        try {
            assertThat(command(port, "SET", "left", "behind")).isEqualTo("+OK");

            try (LocalRedis redis = LocalRedis.start(dataDir, port)) {
                assertThat(redis.port()).isEqualTo(port);
                assertThat(command(port, "GET", "left")).isEqualTo("behind");
            }
        } finally {
            orphan.stop();
        }
    }

    /** The value of one setting, from {@code CONFIG GET}. */
    private static String configValue(int port, String name) throws IOException {
        List<String> reply = reply(port, "CONFIG", "GET", name);
        assertThat(reply).as("reply to CONFIG GET %s", name).hasSize(2);
        return reply.get(1);
    }

    /** Sends one RESP command; returns a simple reply as is, or the first element / content of a bulk reply. */
    private static String command(int port, String... args) throws IOException {
        return reply(port, args).get(0);
    }

    /**
     * Sends one RESP command; returns a simple reply as is, the content of a bulk reply, or the contents of an array
     * reply's bulk elements.
     */
    private static List<String> reply(int port, String... args) throws IOException {
        try (Socket socket = new Socket("localhost", port);
             BufferedReader in = new BufferedReader(
                     new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String first = in.readLine();
            if (!first.startsWith("*")) {
                return List.of(first.startsWith("$") ? in.readLine() : first);
            }
            List<String> values = new ArrayList<>();
            for (int left = Integer.parseInt(first.substring(1)); left > 0; left--) {
                in.readLine(); // the element's length line
                values.add(in.readLine());
            }
            return values;
        }
    }
}
