package dev.taskscheduler.scheduler.timer;

import dev.taskscheduler.model.Json;
import dev.taskscheduler.model.ReadyTask;
import dev.taskscheduler.model.Topics;
import dev.taskscheduler.scheduler.routing.PoolRouting;
import java.time.Duration;
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
 * priority, one of due times by task) → tasks.ready.&lt;pool&gt;[.&lt;priority&gt;]. Both inputs are keyed by task id with the same partition count, so all
 * events of a task meet the same timer.
 */
public final class TimerTopology {

    private TimerTopology() {
    }

    public static KStream<String, String> addTo(StreamsBuilder builder, PoolRouting routing, Duration punctuateInterval,
            int maxReleasesPerPunctuation, TimerProcessor.ReleaseListener releaseListener) {
        for (String timers : TimerStores.allTimers()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(timers), Serdes.Bytes(), Serdes.String()));
        }
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TimerStores.DUE_BY_TASK), Serdes.String(), Serdes.Long()));
        TopicNameExtractor<String, String> readyTopic = (key, value, context) -> {
            ReadyTask ready = Json.read(value, ReadyTask.class);
            return routing.readyTopicOf(ready.type(), ready.priority());
        };
        String[] stores = Stream.concat(TimerStores.allTimers().stream(), Stream.of(TimerStores.DUE_BY_TASK))
                .toArray(String[]::new);
        KStream<String, String> released = builder.stream(List.of(Topics.TASK_EVENTS, Topics.RETRY), Consumed.with(Serdes.String(), Serdes.String()).withName("task-events"))
                .process(() -> new TimerProcessor(punctuateInterval, maxReleasesPerPunctuation, releaseListener),
                        Named.as("timers"), stores);
        released.to(readyTopic, Produced.with(Serdes.String(), Serdes.String()).withName("ready-tasks"));
        return released;
    }
}
