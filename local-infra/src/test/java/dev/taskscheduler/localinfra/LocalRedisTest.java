package dev.taskscheduler.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

class LocalRedisTest {

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
            assertThat(command(port, "CONFIG", "GET", "appendonly")).isEqualTo("appendonly");
        }
        assertThat(dataDir.resolve("appendonly.aof")).exists();

        try (LocalRedis redis = LocalRedis.start(dataDir, port)) {
            assertThat(command(redis.port(), "GET", "greeting")).isEqualTo("hello");
        }
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

    /** Sends one RESP command; returns a simple reply as is, or the first element / content of a bulk reply. */
    private static String command(int port, String... args) throws IOException {
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
            String reply = in.readLine();
            if (reply.startsWith("*")) {
                reply = in.readLine(); // first element's length line
            }
            return reply.startsWith("$") ? in.readLine() : reply;
        }
    }
}
