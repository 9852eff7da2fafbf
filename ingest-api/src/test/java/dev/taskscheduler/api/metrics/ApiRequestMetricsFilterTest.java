package dev.taskscheduler.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ApiRequestMetricsFilterTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ApiRequestMetricsFilter filter = new ApiRequestMetricsFilter(registry);

    @Test
    void shouldRegisterEveryMethodAtZero() {
        assertThat(registry.find("api_requests").counters()).hasSize(ApiRequestMetricsFilter.METHODS.size())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(registry.find("api_errors").counters()).hasSize(ApiRequestMetricsFilter.METHODS.size())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void shouldCountServerErrorsButNotClientErrorsAsErrors() throws Exception {
        handle("POST", 202);
        handle("POST", 400);
        handle("GET", 404);
        handle("GET", 503);

        assertThat(requests("POST")).isEqualTo(2);
        assertThat(requests("GET")).isEqualTo(2);
        assertThat(errors("POST")).isZero();
        assertThat(errors("GET")).isEqualTo(1);
    }

    @Test
    void shouldCountAnExceptionLeavingTheChainAsAnError() {
        MockFilterChain failing = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("boom");
            }
        });

        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/tasks"),
                new MockHttpServletResponse(), failing)).hasMessage("boom");
        assertThat(errors("POST")).isEqualTo(1);
    }

    @Test
    void shouldFoldUnusualMethodsIntoOther() throws Exception {
        handle("PROPFIND", 405);

        assertThat(requests("other")).isEqualTo(1);
        assertThat(registry.find("api_requests").counters()).hasSize(ApiRequestMetricsFilter.METHODS.size());
    }

    private void handle(String method, int status) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest(method, "/api/v1/tasks"), response,
                new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void service(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) {
                        resp.setStatus(status);
                    }
                }));
    }

    private double requests(String method) {
        return registry.get("api_requests").tag("method", method).counter().count();
    }

    private double errors(String method) {
        return registry.get("api_errors").tag("method", method).counter().count();
    }
}
