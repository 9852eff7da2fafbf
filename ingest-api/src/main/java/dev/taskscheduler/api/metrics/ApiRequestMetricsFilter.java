package dev.taskscheduler.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts requests to {@code /api/**} ({@code api_requests_total}) and those answered with a 5xx
 * status ({@code api_errors_total}). 4xx answers are the client's mistake and are not errors here.
 *
 * <p>Both counters carry the same single tag, {@code method}, so the runbook's
 * {@code rate(api_errors_total[5m]) / rate(api_requests_total[5m])} matches them one to one. A
 * status tag on only one of them would make that division match nothing; the breakdown by status
 * and URI is in {@code http_server_requests_seconds_*}.
 */
class ApiRequestMetricsFilter extends OncePerRequestFilter {

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "other");

    private final Map<String, Counter> requests;
    private final Map<String, Counter> errors;

    ApiRequestMetricsFilter(MeterRegistry registry) {
        // Every method is registered up front, so the series exist at zero from startup.
        this.requests = METHODS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), method ->
                Counter.builder("api_requests").description("Requests to /api/**, by HTTP method")
                        .tag("method", method).register(registry)));
        this.errors = METHODS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), method ->
                Counter.builder("api_errors").description("Requests to /api/** answered with a 5xx status")
                        .tag("method", method).register(registry)));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = bounded(request.getMethod());
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = response.getStatus() >= 500;
        } finally {
            // An exception escaping the chain becomes a 500 further out: count it as one.
            requests.get(method).increment();
            if (failed) {
                errors.get(method).increment();
            }
        }
    }

    private static String bounded(String method) {
        String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : "other";
    }
}
