package dev.taskscheduler.taskctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the api-server is and which key to send, each from the first source that has it: the
 * command line, the environment ({@code TASKCTL_API_URL}, {@code TASKCTL_API_KEY}, then
 * {@code API_KEY}), the dev launcher's {@code endpoints.env} ({@code API_URL}, {@code API_KEY}),
 * then the default URL {@code http://localhost:8080} and no key.
 */
record Connection(String apiUrl, String apiKey) {

    static final String DEFAULT_URL = "http://localhost:8080";

    static Connection resolve(String urlOption, String keyOption, Path endpointsFile, Function<String, String> env) {
        Map<String, String> endpoints = read(endpointsFile);
        String url = first(urlOption, env.apply("TASKCTL_API_URL"), endpoints.get("API_URL"), DEFAULT_URL);
        String key = first(keyOption, env.apply("TASKCTL_API_KEY"), env.apply("API_KEY"), endpoints.get("API_KEY"));
        return new Connection(url, key);
    }

    /** {@code KEY=value} lines; a missing file has none. */
    static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
