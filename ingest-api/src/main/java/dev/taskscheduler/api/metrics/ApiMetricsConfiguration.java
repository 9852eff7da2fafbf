package dev.taskscheduler.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The api-server's own meters: request and error counters of the API, task counts from PostgreSQL. */
@Configuration(proxyBeanMethods = false)
class ApiMetricsConfiguration {

    @Bean
    FilterRegistrationBean<ApiRequestMetricsFilter> apiRequestMetricsFilter(MeterRegistry registry) {
        FilterRegistrationBean<ApiRequestMetricsFilter> registration =
                new FilterRegistrationBean<>(new ApiRequestMetricsFilter(registry));
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    @Bean
    TaskCountGauges taskCountGauges(DataSource dataSource, ApiMetricsProperties properties, MeterRegistry registry) {
        return new TaskCountGauges(JdbcClient.create(dataSource), properties.taskCountsCacheTtl(), Clock.systemUTC(),
                registry);
    }
}
