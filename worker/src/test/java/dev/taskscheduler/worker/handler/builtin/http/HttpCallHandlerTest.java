package dev.taskscheduler.worker.handler.builtin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskscheduler.model.Json;
import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/**
 * The http handler against a real HTTP server on this machine: every way of reaching an internal
 * address is refused before a connection is made, with the reason as the failure's message (which
 * the worker records as the attempt's error); redirects are checked again; bodies are capped.
 */
class HttpCallHandlerTest {

    private static HttpServer server;
    private static int port;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final int HUGE_BODY = 10 * 1024 * 1024;

    /** Names the tests make resolve to chosen addresses, as a hostile DNS server would. */
    private static final HostResolver RESOLVER = host -> switch (host) {
        case "metadata.test" -> addresses("169.254.169.254");
        case "intranet.test" -> addresses("10.1.2.3");
        case "rebinding.test" -> addresses("93.184.216.34", "127.0.0.1");
        case "public.test" -> addresses("93.184.216.34");
        default -> HostResolver.SYSTEM.resolve(host);
    };

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
                case "/to-self-by-name" -> redirect(exchange, "http://localhost:" + port + "/ok");
                case "/loop" -> redirect(exchange, "/loop");
                case "/relative" -> redirect(exchange, "/ok");
                case "/huge" -> respond(exchange, 200, "a".repeat(HUGE_BODY).getBytes(StandardCharsets.US_ASCII));
                case "/echo-host" -> respond(exchange, 200, exchange.getRequestHeaders().getFirst("Host")
                        .getBytes(StandardCharsets.UTF_8));
                default -> respond(exchange, 200, "fine".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void resetCount() {
        REQUESTS.set(0);
    }

    static Stream<Arguments> bypassAttempts() {
        return Stream.of(
                Arguments.of("http://127.0.0.1:80/", "loopback"),
                Arguments.of("http://2130706433/", "non-canonical"),
                Arguments.of("http://0177.0.0.1/", "non-canonical"),
                Arguments.of("http://0x7f.0.0.1/", "non-canonical"),
                Arguments.of("http://127.1/", "non-canonical"),
                Arguments.of("http://[::ffff:127.0.0.1]/", "loopback"),
                Arguments.of("http://[::ffff:7f00:1]/", "loopback"),
                Arguments.of("http://[::127.0.0.1]/", "loopback address inside an IPv6 address"),
                Arguments.of("http://[64:ff9b::a9fe:a9fe]/", "link-local address (169.254.0.0/16, e.g. cloud metadata) inside"),
                Arguments.of("http://[2002:a00:1::]/", "private address (RFC 1918) inside"),
                Arguments.of("http://[::1]/", "loopback"),
                Arguments.of("http://localhost/", "resolves to"),
                Arguments.of("http://LOCALHOST./", "loopback"),
                Arguments.of("http://169.254.169.254/latest/meta-data/", "link-local"),
                Arguments.of("http://metadata.test/", "resolves to 169.254.169.254"),
                Arguments.of("http://intranet.test/", "private address (RFC 1918)"),
                Arguments.of("http://rebinding.test/", "resolves to 127.0.0.1"),
                Arguments.of("http://10.0.0.1/", "private"),
                Arguments.of("http://172.31.255.255/", "private"),
                Arguments.of("http://192.168.1.1/", "private"),
                Arguments.of("http://100.64.0.1/", "CGNAT"),
                Arguments.of("http://0.0.0.0/", "unspecified"),
                Arguments.of("http://255.255.255.255/", "broadcast"),
                Arguments.of("http://224.0.0.1/", "multicast"),
                Arguments.of("http://240.0.0.1/", "reserved"),
                Arguments.of("http://[fd00::1]/", "unique local"),
                Arguments.of("http://[fe80::1]/", "link-local"),
                Arguments.of("http://[ff02::1]/", "multicast"),
                Arguments.of("http://[::]/", "unspecified"),
                Arguments.of("http://public.test:22/", "port 22"),
                Arguments.of("http://user:secret@public.test/", "user information"),
                Arguments.of("file:///etc/passwd", "http or https"),
                Arguments.of("gopher://127.0.0.1:6379/_INFO", "http or https"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bypassAttempts")
    void shouldRefuseEveryWayToAnInternalAddressBeforeConnecting(String url, String reason) {
        HttpCallHandler handler = handler(Map.of());

        assertThatThrownBy(() -> handler.handle(task(Map.of("url", url))))
                .isInstanceOf(NonRetryableTaskException.class)
                .hasMessageContaining(reason);
        assertThat(REQUESTS).hasValue(0);
    }

    @Test
    void shouldCheckARedirectAgainAndRefuseOneToTheMetadataService() {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port)));

        assertThatThrownBy(() -> handler.handle(task(Map.of("url", url("/to-metadata")))))
                .isInstanceOf(NonRetryableTaskException.class)
                .hasMessageContaining("redirect from " + url("/to-metadata"))
                .hasMessageContaining("169.254.169.254 is a link-local address");
        assertThat(REQUESTS).hasValue(1);
    }

    @Test
    void shouldRefuseARedirectToAnAllowedAddressUnderAnotherName() {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port),
                "allowedPorts", List.of(port)));

        assertThatThrownBy(() -> handler.handle(task(Map.of("url", url("/to-self-by-name")))))
                .hasMessageContaining("localhost resolves to");
        assertThat(REQUESTS).hasValue(1);
    }

    @Test
    void shouldFollowAtMostTheConfiguredNumberOfRedirects() {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port), "maxRedirects", 3));

        assertThatThrownBy(() -> handler.handle(task(Map.of("url", url("/loop")))))
                .isInstanceOf(NonRetryableTaskException.class)
                .hasMessageContaining("more than 3 redirects");
        assertThat(REQUESTS).hasValue(4);
    }

    @Test
    void shouldCallAnAllowedDestinationAndFollowACheckedRelativeRedirect() throws Exception {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port)));

        JsonNode result = handler.handle(task(Map.of("url", url("/relative")))).result();
        JsonNode host = handler.handle(task(Map.of("url", url("/echo-host")))).result();

        assertThat(result.path("status").asInt()).isEqualTo(200);
        assertThat(result.path("body").asString()).isEqualTo("fine");
        assertThat(host.path("body").asString()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void shouldAllowAnInternalRangeOnlyWhenConfigured() throws Exception {
        HttpCallHandler handler = handler(Map.of("allowedCidrs", List.of("127.0.0.0/8"), "allowedPorts", List.of(port)));

        assertThat(handler.handle(task(Map.of("url", url("/ok")))).result().path("body").asString()).isEqualTo("fine");
        assertThatThrownBy(() -> handler.handle(task(Map.of("url", "http://10.0.0.1:" + port + "/"))))
                .hasMessageContaining("private address");
    }

    @Test
    void shouldReadAtMostTheResponseLimitAndStoreAtMostTheResultLimit() throws Exception {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port),
                "maxResponseSize", "64KB", "maxStoredBody", 1000));

        JsonNode result = handler.handle(task(Map.of("url", url("/huge")))).result();

        assertThat(result.path("status").asInt()).isEqualTo(200);
        assertThat(result.path("body").asString()).hasSize(1000);
        assertThat(result.path("bodyTruncated").asBoolean()).isTrue();
        assertThat(Json.write(result).length()).isLessThan(2000);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(Map.of("method", "TRACE"), "payload.method"),
                Arguments.of(Map.of("method", "CONNECT"), "payload.method"),
                Arguments.of(Map.of("headers", Map.of("Host", "internal.example")), "Host may not be set"),
                Arguments.of(Map.of("headers", Map.of("X-Forwarded-For", "10.0.0.1")), "may not be set"),
                Arguments.of(Map.of("headers", Map.of("Metadata-Flavor", "Google")), "may not be set"),
                Arguments.of(Map.of("headers", Map.of("Transfer-Encoding", "chunked")), "may not be set"),
                Arguments.of(Map.of("headers", Map.of("X-Evil", "a\r\nHost: internal")), "control characters"),
                Arguments.of(Map.of("headers", Map.of("Bad Name", "x")), "not a header name"),
                Arguments.of(Map.of("headers", Map.of("X-Long", "x".repeat(5000))), "longer than"),
                Arguments.of(Map.of("headers", manyHeaders(21)), "at most 20 headers"),
                Arguments.of(Map.of("timeoutMs", 0), "payload.timeoutMs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRefuseMethodsAndHeadersItDoesNotSend(Map<String, Object> extra, String reason) {
        HttpCallHandler handler = handler(Map.of("allowedHosts", List.of("127.0.0.1:" + port)));
        Map<String, Object> payload = new java.util.HashMap<>(extra);
        payload.put("url", url("/ok"));

        assertThatThrownBy(() -> handler.handle(task(payload)))
                .isInstanceOf(NonRetryableTaskException.class)
                .hasMessageContaining(reason);
        assertThat(REQUESTS).hasValue(0);
    }

    private static Map<String, String> manyHeaders(int count) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put("X-Header-" + i, "v");
        }
        return headers;
    }

    private static HttpCallHandler handler(Map<String, Object> settings) {
        @SuppressWarnings("unchecked")
        HttpCallProperties properties = new HttpCallProperties(
                (List<String>) settings.getOrDefault("allowedHosts", List.of()),
                (List<String>) settings.getOrDefault("allowedCidrs", List.of()),
                (List<Integer>) settings.getOrDefault("allowedPorts", List.of(80, 443)),
                (int) settings.getOrDefault("maxRedirects", 5),
                DataSize.parse((String) settings.getOrDefault("maxResponseSize", "1MB")),
                (int) settings.getOrDefault("maxStoredBody", 4096),
                20, DataSize.ofKilobytes(2), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(5));
        return new HttpCallHandler(properties, RESOLVER);
    }

    private static TaskContext task(Map<String, Object> payload) {
        return new TaskContext(UUID.randomUUID(), "http", 0, Json.mapper().valueToTree(payload));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // The handler stops reading a huge body and closes the connection.
        }
    }
}
