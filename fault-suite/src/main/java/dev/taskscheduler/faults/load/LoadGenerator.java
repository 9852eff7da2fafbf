package dev.taskscheduler.faults.load;

import dev.taskscheduler.faults.load.Accepted.Channel;
import dev.taskscheduler.faults.load.TaskMix.Planned;
import dev.taskscheduler.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Load through the three ways in: single REST submissions, REST batches and records produced to
 * {@code tasks.submissions}, each at a steady pace, and its own ledger of what was accepted. A
 * submission that got no answer or a 503 is sent again with the same idempotency key (a few
 * times); only an acceptance counts. Every request is bounded in time.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final int BATCH_SIZE = 10;
    private static final int TRIES = 4;

    private final String apiUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final KafkaProducer<String, String> producer;
    private final TaskMix mix;
    private final Queue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final Queue<Refusal> refused = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    public LoadGenerator(String apiUrl, String apiKey, String kafkaBootstrap, long seed) {
        this.apiUrl = apiUrl;
        this.apiKey = apiKey;
        this.mix = new TaskMix(seed);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Pace per second of each channel. */
    public record Rates(int restPerSecond, int batchesPerSecond, int topicPerSecond) {
    }

    /**
     * Sends load for {@code duration} and returns once every request has its answer (or gave up).
     * The scenario's fault runs meanwhile on the caller's thread.
     */
    public Running start(String label, Duration duration, Rates rates) {
        ExecutorService pool = Executors.newFixedThreadPool(12, runnable -> {
            Thread thread = new Thread(runnable, "load-" + label);
            thread.setDaemon(true);
            return thread;
        });
        long end = System.nanoTime() + duration.toNanos();
        Thread pacer = new Thread(() -> {
            long tick = 0;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < rates.restPerSecond(); i++) {
                    pool.execute(() -> submitRest(label));
                }
                for (int i = 0; i < rates.batchesPerSecond(); i++) {
                    pool.execute(() -> submitBatch(label));
                }
                for (int i = 0; i < rates.topicPerSecond(); i++) {
                    produce(label);
                }
                tick++;
                long next = start + tick * 1_000_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    pause(wait / 1_000_000);
                }
            }
            pool.shutdown();
        }, "load-pacer-" + label);
        pacer.start();
        return new Running(pacer, pool);
    }

    /** Load under way. */
    public final class Running {
        private final Thread pacer;
        private final ExecutorService pool;

        private Running(Thread pacer, ExecutorService pool) {
            this.pacer = pacer;
            this.pool = pool;
        }

        /** Waits for the end of the load and for every answer, then for the broker's acks. */
        public void await() {
            try {
                pacer.join();
                if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
                    log.warn("Load requests still open after 2 minutes; abandoning them");
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.flush();
        }
    }

    private String key(String label) {
        return "fs-" + run + "-" + label + "-" + sequence.incrementAndGet();
    }

    private void submitRest(String label) {
        String key = key(label);
        Planned planned = mix.next(null, Instant.now());
        String last = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            try {
                HttpResponse<String> response = http.send(post("/api/v1/tasks", planned.submission())
                        .header("Idempotency-Key", key).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    UUID id = UUID.fromString(Json.mapper().readTree(response.body()).path("id").asString());
                    accepted.add(new Accepted(Channel.REST, id, key, planned.runAt(), planned.expected(),
                            Instant.now()));
                    return;
                }
                last = answer(response);
                if (response.statusCode() != 503 && response.statusCode() < 500) {
                    refuse(Channel.REST, key, last);
                    return;
                }
            } catch (IOException e) {
                // no answer: it may or may not be stored; the same key makes a repeat safe
                last = Refusal.of(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause(500L * (attempt + 1));
        }
        refuse(Channel.REST, key, TRIES + " tries, the last: " + last);
    }

    private void submitBatch(String label) {
        List<String> keys = new ArrayList<>();
        List<Planned> items = new ArrayList<>();
        for (int i = 0; i < BATCH_SIZE; i++) {
            String key = key(label);
            keys.add(key);
            items.add(mix.next(key, Instant.now()));
        }
        Map<String, Object> body = Map.of("tasks", items.stream().map(Planned::submission).toList());
        String last = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            try {
                HttpResponse<String> response = http.send(post("/api/v1/tasks/batch", body).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode results = Json.mapper().readTree(response.body()).path("results");
                    for (JsonNode result : results) {
                        int index = result.path("index").asInt();
                        if (result.path("status").asInt() == 202) {
                            accepted.add(new Accepted(Channel.BATCH, UUID.fromString(result.path("id").asString()),
                                    keys.get(index), items.get(index).runAt(), items.get(index).expected(),
                                    Instant.now()));
                        } else {
                            refuse(Channel.BATCH, keys.get(index), "batch item " + result.path("status").asInt()
                                    + ": " + result.path("problem"));
                        }
                    }
                    return;
                }
                last = answer(response);
                if (response.statusCode() != 503 && response.statusCode() < 500) {
                    String reason = last;
                    keys.forEach(key -> refuse(Channel.BATCH, key, reason));
                    return;
                }
            } catch (IOException e) {
                // as for single submissions: the keys make a repeat safe
                last = Refusal.of(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause(500L * (attempt + 1));
        }
        String reason = TRIES + " tries, the last: " + last;
        keys.forEach(key -> refuse(Channel.BATCH, key, reason));
    }

    private void produce(String label) {
        String key = key(label);
        Planned planned = mix.next(null, Instant.now());
        try {
            producer.send(new ProducerRecord<>("tasks.submissions", key, Json.write(planned.submission())),
                    (metadata, error) -> {
                        if (error == null) {
                            accepted.add(new Accepted(Channel.TOPIC, null, key, planned.runAt(), planned.expected(),
                                    Instant.now()));
                        } else {
                            refuse(Channel.TOPIC, key, "not acknowledged: " + Refusal.of(error));
                        }
                    });
        } catch (RuntimeException e) {
            // the producer could not even take it (buffer full, no metadata)
            refuse(Channel.TOPIC, key, "not sent: " + Refusal.of(e));
        }
    }

    private void refuse(Channel channel, String key, String reason) {
        Refusal refusal = new Refusal(channel, key, reason);
        refused.add(refusal);
        log.warn("{} submission {} refused: {}", channel, key, refusal.reason());
    }

    /** A refusing answer in a few words: its status and the start of its body. */
    private static String answer(HttpResponse<String> response) {
        return "HTTP " + response.statusCode() + " " + response.body();
    }

    /** Submits {@code count} tasks over REST that each run for {@code millis}; the ids of those accepted. */
    public List<UUID> submitLong(int count, long millis) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = submitOne("long", TaskMix.longRunning(millis), Accepted.Channel.REST);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Submits one probe over REST; its id, or null when it was not accepted at once. */
    public UUID probe() {
        return submitOne("probe", TaskMix.probe(), Accepted.Channel.PROBE);
    }

    private UUID submitOne(String label, Map<String, Object> submission, Accepted.Channel channel) {
        String key = "fs-" + run + "-" + label + "-" + sequence.incrementAndGet();
        // Due at once: not before the request left, as the server may take a while to answer.
        Instant sent = Instant.now();
        try {
            HttpResponse<String> response = http.send(post("/api/v1/tasks", submission)
                    .header("Idempotency-Key", key).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                UUID id = UUID.fromString(Json.mapper().readTree(response.body()).path("id").asString());
                accepted.add(new Accepted(channel, id, key, sent, Accepted.Expected.SUCCEEDED, Instant.now()));
                return id;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private HttpRequest.Builder post(String path, Object body) {
        return HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }

    /** Everything accepted since the last call, and clears the ledger for the next scenario. */
    public List<Accepted> drainAccepted() {
        List<Accepted> all = new ArrayList<>();
        Accepted next;
        while ((next = accepted.poll()) != null) {
            all.add(next);
        }
        return all;
    }

    /** Everything accepted so far, leaving the ledger as it is. */
    public List<Accepted> acceptedSoFar() {
        return List.copyOf(accepted);
    }

    /** Submissions that were never accepted (refused, or unanswered after every try), since the last call. */
    public List<Refusal> drainRefused() {
        List<Refusal> all = new ArrayList<>();
        Refusal next;
        while ((next = refused.poll()) != null) {
            all.add(next);
        }
        return all;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
