package dev.taskscheduler.api.lag;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code GET /api/v1/admin/lag} answers: the last reading of every watched group.
 *
 * @param refreshedAt when the figures were read (null before the first successful reading)
 * @param lastError   why the latest reading failed, if it did; the figures are then the previous ones
 */
public record LagReport(Instant refreshedAt, String lastError, List<GroupLag> groups) {

    /** One group: its total lag and the age of its oldest unread record over all partitions. */
    public record GroupLag(String group, long lag, double lagSeconds, List<PartitionLag> partitions) {
    }

    static LagReport of(Instant refreshedAt, String lastError, List<PartitionLag> partitions) {
        Map<String, List<PartitionLag>> byGroup = partitions.stream().collect(Collectors.groupingBy(
                PartitionLag::group, TreeMap::new, Collectors.toList()));
        return new LagReport(refreshedAt, lastError, byGroup.entrySet().stream()
                .map(group -> new GroupLag(group.getKey(),
                        group.getValue().stream().mapToLong(PartitionLag::lag).sum(),
                        group.getValue().stream().mapToDouble(PartitionLag::lagSeconds).max().orElse(0),
                        group.getValue().stream().sorted(Comparator.comparing(PartitionLag::topic)
                                .thenComparingInt(PartitionLag::partition)).toList()))
                .toList());
    }
}
