package dev.taskscheduler.relay.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Reading Debezium's offset records as Kafka Connect's JSON converter writes them, and when one is stale. */
class StoredOffsetTest {

    private static final byte[] KEY = bytes("[\"outbox-relay\",{\"server\":\"task_outbox_slot\"}]");

    @Test
    void recognisesTheKeyOfItsConnectorAndSlotOnly() {
        assertThat(StoredOffset.isFor(KEY, "outbox-relay", "task_outbox_slot")).isTrue();
        assertThat(StoredOffset.isFor(KEY, "outbox-relay", "other_slot")).isFalse();
        assertThat(StoredOffset.isFor(KEY, "another-connector", "task_outbox_slot")).isFalse();
        assertThat(StoredOffset.isFor(bytes("{\"server\":\"task_outbox_slot\"}"), "outbox-relay", "task_outbox_slot"))
                .isFalse();
        assertThat(StoredOffset.isFor(null, "outbox-relay", "task_outbox_slot")).isFalse();
    }

    @Test
    void takesTheFurthestPositionTheOffsetNames() {
        byte[] value = bytes("{\"lsn_proc\":400,\"messageType\":\"INSERT\",\"lsn_commit\":300,\"lsn\":350,"
                + "\"txId\":812,\"ts_usec\":1767225600000000}");

        assertThat(StoredOffset.of(0, KEY, value)).get().extracting(StoredOffset::lsn).isEqualTo(400L);
        assertThat(StoredOffset.of(0, KEY, bytes("{\"txId\":812}"))).isEmpty();
    }

    @Test
    void formatsPositionsAsPostgresDoes() {
        assertThat(StoredOffset.format(0x16B3748L)).isEqualTo("0/16B3748");
        assertThat(StoredOffset.format((3L << 32) | 0xA0L)).isEqualTo("3/A0");
    }

    @Property
    void readsEveryPositionBack(@ForAll @LongRange(min = 0) long lsn) {
        byte[] value = bytes("{\"lsn\":" + lsn + ",\"txId\":1}");

        assertThat(StoredOffset.of(2, KEY, value)).get()
                .satisfies(offset -> assertThat(offset.lsn()).isEqualTo(lsn))
                .satisfies(offset -> assertThat(offset.partition()).isEqualTo(2));
    }

    @Property
    void neverMistakesArbitraryBytesForAnOffset(@ForAll @StringLength(max = 200) String text) {
        byte[] bytes = bytes(text);

        assertThat(StoredOffset.isFor(bytes, "outbox-relay", "task_outbox_slot"))
                .isEqualTo(text.replace(" ", "").equals("[\"outbox-relay\",{\"server\":\"task_outbox_slot\"}]"));
        if (!text.contains("lsn")) {
            assertThat(StoredOffset.of(0, KEY, bytes)).isEmpty();
        }
    }

    @Property
    void anOffsetIsStaleWhenItsSlotIsGoneOrItLiesAheadOfTheServer(
            @ForAll @LongRange(min = 0) long stored, @ForAll @LongRange(min = 0) long server, @ForAll boolean slotExists) {
        boolean stale = StoredOffsetCheck.staleness(stored, server, slotExists).isPresent();

        assertThat(stale).isEqualTo(!slotExists || stored > server);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
