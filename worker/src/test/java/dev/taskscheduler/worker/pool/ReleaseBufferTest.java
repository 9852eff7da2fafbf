package dev.taskscheduler.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReleaseBufferTest {

    private static final String TOPIC = "tasks.ready.default";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final ReleaseBuffer buffer = new ReleaseBuffer();

    @Test
    void shouldSayWhereEachDroppedPartitionMustBeReadAgainFrom() {
        buffer.add(List.of(record(0, 10), record(1, 7), record(0, 11), record(1, 8), record(0, 12)));
        buffer.take(1); // offset 10 of partition 0 went to the handlers

        Map<TopicPartition, Long> resumeAt = buffer.drop(List.of(P0, P1));

        assertThat(resumeAt).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 11L, P1, 7L));
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheRecordsOfPartitionsNotDropped() {
        buffer.add(List.of(record(0, 10), record(1, 7), record(0, 11)));

        Map<TopicPartition, Long> resumeAt = buffer.drop(List.of(P0));

        assertThat(resumeAt).containsExactlyEntriesOf(Map.of(P0, 10L));
        assertThat(buffer.take(10)).extracting(ConsumerRecord::offset).containsExactly(7L);
    }

    @Test
    void shouldNameNoPartitionThatHadNothingBuffered() {
        buffer.add(List.of(record(1, 7)));

        assertThat(buffer.drop(List.of(P0))).isEmpty();
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void shouldHandRecordsPutBackOutFirstInTheirOrder() {
        buffer.add(List.of(record(0, 1), record(0, 2), record(0, 3)));
        List<ConsumerRecord<String, String>> taken = buffer.take(2);

        buffer.putBack(taken);

        assertThat(buffer.take(3)).extracting(ConsumerRecord::offset).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldResumeAPartitionPutBackAtItsFirstRecord() {
        buffer.add(List.of(record(0, 5), record(0, 6)));
        buffer.putBack(buffer.take(1));

        assertThat(buffer.drop(List.of(P0))).containsExactlyEntriesOf(Map.of(P0, 5L));
    }

    private static ConsumerRecord<String, String> record(int partition, long offset) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "task-" + offset, "{}");
    }
}
