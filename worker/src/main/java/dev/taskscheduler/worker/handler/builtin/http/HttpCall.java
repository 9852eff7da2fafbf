package dev.taskscheduler.worker.handler.builtin.http;

import dev.taskscheduler.worker.handler.NonRetryableTaskException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An http task's payload, checked: {@code url} (http or https, no user info), {@code method}
 * (GET, HEAD, POST, PUT, PATCH or DELETE), {@code headers} (an object of strings; no hop-by-hop,
 * Host, forwarding or cloud-metadata headers), {@code body} (a string, or JSON sent as
 * application/json) and {@code timeoutMs}.
 */
record HttpCall(URI uri, String method, Map<String, String> headers, byte[] body, String contentType,
        Duration timeout) {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    /** Headers the connection owns, that rewrite where a request seems to come from, or unlock metadata services. */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "connection", "keep-alive", "proxy-authorization",
            "proxy-authenticate", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length",
            "expect", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-real-ip", "via", "metadata-flavor", "metadata", "x-aws-ec2-metadata-token",
            "x-aws-ec2-metadata-token-ttl-seconds", "x-google-metadata-request");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** @throws NonRetryableTaskException naming what is wrong with the payload */
    static HttpCall of(JsonNode payload, HttpCallProperties limits) {
        URI uri = parseUrl(payload.path("url").asString(""));
        String method = payload.path("method").asString("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new NonRetryableTaskException("payload.method must be one of " + METHODS.stream().sorted().toList());
        }
        long timeoutMs = payload.path("timeoutMs").asLong(limits.defaultTimeout().toMillis());
        if (timeoutMs <= 0 || timeoutMs > limits.maxTimeout().toMillis()) {
            throw new NonRetryableTaskException("payload.timeoutMs must be from 1 to " + limits.maxTimeout().toMillis());
        }
        Map<String, String> headers = headers(payload.path("headers"), limits);
        JsonNode body = payload.path("body");
        byte[] bytes = null;
        String contentType = null;
        if (body.isString()) {
            bytes = body.asString().getBytes(StandardCharsets.UTF_8);
        } else if (!body.isMissingNode() && !body.isNull()) {
            bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            contentType = "application/json";
        }
        return new HttpCall(uri, method, headers, bytes, contentType, Duration.ofMillis(timeoutMs));
    }

    private static Map<String, String> headers(JsonNode headers, HttpCallProperties limits) {
        if (headers.isMissingNode() || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject()) {
            throw new NonRetryableTaskException("payload.headers must be an object of strings");
        }
        if (headers.size() > limits.maxHeaders()) {
            throw new NonRetryableTaskException("payload.headers may hold at most " + limits.maxHeaders() + " headers");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            String name = header.getKey();
            if (!TOKEN.matcher(name).matches()) {
                throw new NonRetryableTaskException("payload.headers: '" + printable(name) + "' is not a header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (FORBIDDEN_HEADERS.contains(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) {
                throw new NonRetryableTaskException("payload.headers: " + name + " may not be set");
            }
            if (!header.getValue().isString()) {
                throw new NonRetryableTaskException("payload.headers: " + name + " must be a string");
            }
            String value = header.getValue().asString();
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new NonRetryableTaskException("payload.headers: " + name + " holds control characters");
            }
            if (name.length() + value.length() > limits.maxHeaderSize().toBytes()) {
                throw new NonRetryableTaskException("payload.headers: " + name + " is longer than "
                        + limits.maxHeaderSize().toBytes() + " bytes");
            }
            checked.put(name, value);
        }
        return checked;
    }

    static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new NonRetryableTaskException("payload.url is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new NonRetryableTaskException("the URL must be http or https: " + printable(url));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceFirst(":\\d*$", "");
            throw new NonRetryableTaskException(IpLiterals.looksNumeric(authority)
                    ? authority + " is an IP address in a non-canonical form; write it as four decimal numbers"
                    : "the URL has no valid host name: " + printable(url));
        }
        if (uri.getRawUserInfo() != null) {
            throw new NonRetryableTaskException("the URL may not carry user information (user:password@)");
        }
        return uri;
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String printable(String text) {
        String shortened = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
