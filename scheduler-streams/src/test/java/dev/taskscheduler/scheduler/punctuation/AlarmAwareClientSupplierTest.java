package dev.taskscheduler.scheduler.punctuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The main consumer's poll waits as the alarms allow; every other call reaches the consumer as it was made. */
class AlarmAwareClientSupplierTest {

    private static final Duration POLL_MS = Duration.ofMillis(10);
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final TopicPartition PARTITION = new TopicPartition("task.events", 0);

    @SuppressWarnings("unchecked")
    private final Consumer<byte[], byte[]> consumer = mock(Consumer.class);
    private final PunctuationAlarms alarms = new PunctuationAlarms(Duration.ofSeconds(30));
    private final Consumer<byte[], byte[]> alarmAware = new AlarmAwareClientSupplier(alarms, IDLE_POLL).alarmAware(consumer);

    @Test
    void pollsForTheIdlePollWhenNothingIsDueThenAsAskedOnceRecordsArrive() {
        when(consumer.poll(any(Duration.class))).thenReturn(ConsumerRecords.empty()).thenReturn(oneRecord());

        assertThat(alarmAware.poll(POLL_MS).isEmpty()).isTrue();
        assertThat(alarmAware.poll(POLL_MS).count()).isEqualTo(1);
        alarmAware.poll(POLL_MS);

        InOrder order = inOrder(consumer);
        order.verify(consumer, times(2)).poll(IDLE_POLL);
        order.verify(consumer).poll(POLL_MS);
    }

    @Test
    void passesEveryOtherCallAndItsFailureThrough() {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(PARTITION, new OffsetAndMetadata(42));
        when(consumer.assignment()).thenReturn(Set.of(PARTITION));
        doThrow(new WakeupException()).when(consumer).commitSync(offsets);

        assertThat(alarmAware.assignment()).containsExactly(PARTITION);
        assertThatThrownBy(() -> alarmAware.commitSync(offsets)).isExactlyInstanceOf(WakeupException.class);
        verify(consumer).commitSync(offsets);
    }

    private static ConsumerRecords<byte[], byte[]> oneRecord() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(PARTITION.topic(), 0, 0, new byte[0], new byte[0]);
        return new ConsumerRecords<>(Map.of(PARTITION, List.of(record)), Map.of());
    }
}
