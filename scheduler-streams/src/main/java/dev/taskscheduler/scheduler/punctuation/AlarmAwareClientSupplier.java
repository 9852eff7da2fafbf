package dev.taskscheduler.scheduler.punctuation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Kafka Streams' default clients ({@link DefaultKafkaClientSupplier}), except that each stream
 * thread's main consumer blocks in {@code poll} for as long as {@link PunctuationAlarms} allows
 * rather than for {@code poll.ms}: an idle scheduler then wakes a few times a second instead of a hundred, and a
 * timer still fires on time. Every other call goes to the consumer unchanged.
 */
public final class AlarmAwareClientSupplier extends DefaultKafkaClientSupplier {

    private static final Method POLL;

    static {
        try {
            POLL = Consumer.class.getMethod("poll", Duration.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PunctuationAlarms alarms;
    private final Duration idlePoll;

    /** @param idlePoll the longest a main consumer's poll blocks when nothing is due */
    public AlarmAwareClientSupplier(PunctuationAlarms alarms, Duration idlePoll) {
        this.alarms = alarms;
        this.idlePoll = idlePoll;
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return alarmAware(super.getConsumer(config));
    }

    /** The consumer with {@code poll} timed by the alarms; a proxy, as the interface has some sixty methods. */
    @SuppressWarnings("unchecked")
    Consumer<byte[], byte[]> alarmAware(Consumer<byte[], byte[]> consumer) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.equals(POLL)) {
                return poll(consumer, (Duration) args[0]);
            }
            try {
                return method.invoke(consumer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, handler);
    }

    private ConsumerRecords<byte[], byte[]> poll(Consumer<byte[], byte[]> consumer, Duration requested) {
        ConsumerRecords<byte[], byte[]> records =
                consumer.poll(alarms.pollTimeout(requested, idlePoll, System.currentTimeMillis()));
        if (!records.isEmpty()) {
            alarms.recordsArrived(System.currentTimeMillis());
        }
        return records;
    }
}
