package dev.taskscheduler.scheduler.recurring;

import dev.taskscheduler.model.Topics;
import dev.taskscheduler.scheduler.punctuation.PunctuationAlarms;
import dev.taskscheduler.scheduler.punctuation.PunctuationTiming;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** schedules.events → schedule processor (two persistent, changelogged stores) → tasks.submissions. */
public final class ScheduleTopology {

    private ScheduleTopology() {
    }

    public static KStream<String, String> addTo(StreamsBuilder builder, PunctuationTiming punctuation,
            PunctuationAlarms alarms, Duration misfireThreshold) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScheduleProcessor.SCHEDULES), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScheduleProcessor.SCHEDULE_TIMERS), Serdes.Bytes(), Serdes.String()));
        KStream<String, String> submissions = builder.stream(Topics.SCHEDULE_EVENTS,
                        Consumed.with(Serdes.String(), Serdes.String()).withName("schedule-events"))
                .process(() -> new ScheduleProcessor(punctuation, alarms, misfireThreshold), Named.as("schedules"),
                        ScheduleProcessor.SCHEDULES, ScheduleProcessor.SCHEDULE_TIMERS);
        submissions.to(Topics.SUBMISSIONS, Produced.with(Serdes.String(), Serdes.String()).withName("scheduled-tasks"));
        return submissions;
    }
}
