package dev.taskscheduler.worker.handler.builtin.http;

import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import dev.taskscheduler.worker.handler.TaskContext;
import dev.taskscheduler.worker.handler.TaskHandler;
import dev.taskscheduler.worker.handler.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Calls an HTTP endpoint (payload: see {@link HttpCall}). A 2xx response succeeds; 5xx, 408 and
 * 429 and network errors fail the attempt and are retried; any other status fails the task for
 * good. The result holds the status and the start of the response body.
 *
 * <p>The worker runs inside the deployment's network, so it must not become a way in: the
 * destination of every request, redirects included, is resolved and checked by
 * {@link DestinationPolicy} and the connection goes to the checked address; redirects are followed
 * by this handler (at most {@code max-redirects}), never by the client; at most
 * {@code max-response-size} bytes are read. Every refusal fails the task at once, with the reason
 * as the attempt's error.
 */
@Component
public class HttpCallHandler implements TaskHandler, DisposableBean {

    private static final Set<Integer> RETRYABLE_CLIENT_ERRORS = Set.of(408, 429);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie");

    private final HttpCallProperties properties;
    private final DestinationPolicy destinations;
    private final CloseableHttpClient client;

    /** @param resolver name resolution; the system's unless a {@link HostResolver} bean replaces it */
    @Autowired
    public HttpCallHandler(HttpCallProperties properties, ObjectProvider<HostResolver> resolver) {
        this(properties, resolver.getIfAvailable(() -> HostResolver.SYSTEM));
    }

    HttpCallHandler(HttpCallProperties properties, HostResolver resolver) {
        this.properties = properties;
        this.destinations = new DestinationPolicy(properties, resolver);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // Every request names the address to connect to; a name the client would
                        // resolve by itself means a bug, so it resolves nothing.
                        .setDnsResolver(new RefusingDnsResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                                .build())
                        .setMaxConnPerRoute(10)
                        .setMaxConnTotal(100)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("task-scheduler-worker")
                .build();
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public TaskOutcome handle(TaskContext context) throws IOException {
        HttpCall call = HttpCall.of(context.payload(), properties);
        URI uri = call.uri();
        String method = call.method();
        byte[] body = call.body();
        Map<String, String> headers = call.headers();
        for (int redirects = 0; ; redirects++) {
            Response response = exchange(uri, method, headers, body, call, redirects == 0 ? null : call.uri());
            if (!REDIRECTS.contains(response.status()) || response.location() == null) {
                return outcome(uri, response);
            }
            if (redirects == properties.maxRedirects()) {
                throw new NonRetryableTaskException("more than " + properties.maxRedirects() + " redirects from "
                        + call.uri());
            }
            URI next = redirectTarget(uri, response.location());
            if (response.status() == 303 || ((response.status() == 301 || response.status() == 302)
                    && method.equals("POST"))) {
                method = "GET";
                body = null;
            }
            if (!sameOrigin(uri, next)) {
                headers = withoutCredentials(headers);
            }
            uri = next;
        }
    }

    /** @param redirectedFrom the URL of the task whose redirect led here, or null for the task's own URL */
    private Response exchange(URI uri, String method, Map<String, String> headers, byte[] body, HttpCall call,
            URI redirectedFrom) throws IOException {
        InetAddress address;
        try {
            address = destinations.resolve(uri.getHost(), HttpCall.port(uri))[0];
        } catch (DestinationRefusedException e) {
            throw new NonRetryableTaskException((redirectedFrom == null ? "http: destination refused: "
                    : "http: redirect from " + redirectedFrom + " to " + uri + " refused: ") + e.getMessage(), e);
        }
        HttpHost target = new HttpHost(uri.getScheme(), address, uri.getHost(), HttpCall.port(uri));
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        headers.forEach(request::addHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, call.contentType() == null ? ContentType.DEFAULT_TEXT
                    : ContentType.APPLICATION_JSON));
        }
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(call.timeout())).build());
        try (ClassicHttpResponse response = client.executeOpen(target, request, null)) {
            return read(response, method);
        }
    }

    /**
     * Reads at most max-response-size bytes of the body. A longer body is not read to its end:
     * closing the response unconsumed discards its connection instead of draining it.
     */
    private Response read(ClassicHttpResponse response, String method) throws IOException {
        Header header = response.getFirstHeader("Location");
        String location = header == null ? null : header.getValue();
        HttpEntity entity = response.getEntity();
        if (entity == null || method.equals("HEAD")) {
            return new Response(response.getCode(), location, new byte[0], false);
        }
        long limit = properties.maxResponseSize().toBytes();
        InputStream in = entity.getContent();
        byte[] read = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        boolean truncated = in.read() != -1;
        if (!truncated) {
            EntityUtils.consume(entity);
        }
        return new Response(response.getCode(), location, read, truncated);
    }

    private TaskOutcome outcome(URI uri, Response response) throws IOException {
        int status = response.status();
        if (status >= 500 || RETRYABLE_CLIENT_ERRORS.contains(status)) {
            throw new IOException("HTTP " + status + " from " + uri);
        }
        if (status >= 300) {
            throw new NonRetryableTaskException("HTTP " + status + " from " + uri);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        boolean cut = text.length() > properties.maxStoredBody();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("body", cut ? text.substring(0, properties.maxStoredBody()) : text);
        if (cut || response.truncated()) {
            result.put("bodyTruncated", true);
        }
        return TaskOutcome.of(result);
    }

    private static URI redirectTarget(URI from, String location) {
        try {
            URI next = from.resolve(new URI(location.trim()));
            return HttpCall.parseUrl(next.toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new NonRetryableTaskException("redirect from " + from + " to an invalid location", e);
        } catch (NonRetryableTaskException e) {
            throw new NonRetryableTaskException("redirect from " + from + " refused: " + e.getMessage(), e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && HttpCall.port(a) == HttpCall.port(b);
    }

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>(headers);
        kept.keySet().removeIf(name -> CREDENTIAL_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT)));
        return kept;
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }

    /** A response as far as it was read: at most max-response-size bytes of its body. */
    private record Response(int status, String location, byte[] body, boolean truncated) {
    }

    private static final class RefusingDnsResolver implements org.apache.hc.client5.http.DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new DestinationRefusedException("unchecked name resolution of " + host);
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new DestinationRefusedException("unchecked name resolution of " + host);
        }
    }
}
