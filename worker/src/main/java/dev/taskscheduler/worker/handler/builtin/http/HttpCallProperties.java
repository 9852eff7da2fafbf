package dev.taskscheduler.worker.handler.builtin.http;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the {@code http} task handler. By default it reaches only public addresses on the
 * ports 80 and 443; a deployment that needs more says so here.
 *
 * @param allowedHosts       host names or IP addresses reached even when they resolve to internal
 *                           addresses, optionally with a port ({@code billing.internal:8443}), which
 *                           is then allowed for that host whatever {@code allowedPorts} says
 * @param allowedCidrs       address ranges reached even though they are internal ({@code 10.20.0.0/16})
 * @param allowedPorts       ports allowed for every destination; empty allows any port
 * @param maxRedirects       redirects followed per call, each checked like the first URL
 * @param maxResponseSize    most bytes of a response body read; the rest is not read
 * @param maxStoredBody      most characters of the body kept in the task's result
 * @param maxHeaders         most request headers a payload may set
 * @param maxHeaderSize      longest request header (name and value) a payload may set
 * @param connectTimeout     how long connecting may take
 * @param defaultTimeout     how long the whole exchange may take unless the payload says ({@code timeoutMs})
 * @param maxTimeout         the longest {@code timeoutMs} a payload may ask for
 */
@ConfigurationProperties("scheduler.worker.http")
public record HttpCallProperties(
        @DefaultValue List<String> allowedHosts,
        @DefaultValue List<String> allowedCidrs,
        @DefaultValue({"80", "443"}) List<Integer> allowedPorts,
        @DefaultValue("5") int maxRedirects,
        @DefaultValue("1MB") DataSize maxResponseSize,
        @DefaultValue("4096") int maxStoredBody,
        @DefaultValue("20") int maxHeaders,
        @DefaultValue("2KB") DataSize maxHeaderSize,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration defaultTimeout,
        @DefaultValue("5m") Duration maxTimeout) {
}
