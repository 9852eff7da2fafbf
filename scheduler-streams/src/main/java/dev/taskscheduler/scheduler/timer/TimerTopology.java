package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.JsonSerde;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.TaskEvent;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.model.PoolRouting;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * task.events and tasks.retry → timer processor (persistent, changelogged stores: one of timers per
 * priority, one of due times by task) → tasks.ready.&lt;pool&gt;[.&lt;priority&gt;]. Both inputs are keyed
 * by task id with the same partition count, so all events of a task meet the same timer. Values
 * are typed records: each is read once, and the ready topic is chosen from the record itself.
 */
public final class TimerTopology {

    private TimerTopology() {
    }

    public static KStream<String, ReadyTask> addTo(StreamsBuilder builder, PoolRouting routing,
            PunctuationTiming punctuation, PunctuationAlarms alarms, int maxReleasesPerPunctuation,
            TimerProcessor.ReleaseListener releaseListener) {
        JsonSerde<TaskEvent> events = Topics.TASK_EVENT_RECORDS.valueSerde();
        for (String timers : TimerStores.allTimers()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(timers), Serdes.Bytes(), events));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TimerStores.DUE_BY_TASK), Serdes.String(), Serdes.Long()));
        TopicNameExtractor<String, ReadyTask> readyTopic =
                (key, ready, context) -> routing.readyTopicOf(ready.type(), ready.priority());
        String[] stores = Stream.concat(TimerStores.allTimers().stream(), Stream.of(TimerStores.DUE_BY_TASK))
                .toArray(String[]::new);
        KStream<String, ReadyTask> released = builder
                .stream(List.of(Topics.TASK_EVENTS, Topics.RETRY), Consumed.with(Serdes.String(), events)
                        .withName("task-events"))
                .process(() -> new TimerProcessor(punctuation, alarms, maxReleasesPerPunctuation, releaseListener),
                        Named.as("timers"), stores);
        released.to(readyTopic, Produced.with(Serdes.String(), new JsonSerde<>(ReadyTask.class))
                .withName("ready-tasks"));
        return released;
    }
}
