package dev.taskscheduler.bench.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads single values from a Prometheus text endpoint. */
public final class Metrics {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    public Metrics(String url) {
        this.url = url;
    }

    /** Sum of all series of {@code name} whose labels contain {@code labelFilter} (may be empty). */
    public double sum(String name, String labelFilter) {
        double sum = 0;
        for (String line : scrape().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labels = line.contains("{") ? line.substring(line.indexOf('{'), line.indexOf('}') + 1) : "";
                if (labels.contains(labelFilter)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private String scrape() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read metrics from " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
