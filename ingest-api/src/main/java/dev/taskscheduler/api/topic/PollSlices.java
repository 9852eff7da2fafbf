package dev.taskscheduler.api.topic;

import java.util.ArrayList;
import java.util.List;

/**
 * How one poll of the submission topic is cut into transactions that are written side by side.
 *
 * <p>A poll that fits one slice is one transaction: at moderate rates that keeps each insert as
 * large as the poll. A larger poll, which comes from a backlog, is cut into at most
 * {@code maxSlices} slices of about equal size, each its own transaction on its own connection, so
 * that the inserts overlap the way several consumers' would.
 *
 * @param maxSlices     most transactions written at once for one poll
 * @param rowsPerSlice  most rows a slice holds when the poll allows enough slices
 */
record PollSlices(int maxSlices, int rowsPerSlice) {

    /** A slice of the poll: its records from {@code from} (inclusive) to {@code to} (exclusive). */
    record Slice(int from, int to) {
        int size() {
            return to - from;
        }
    }

    PollSlices {
        if (maxSlices < 1 || rowsPerSlice < 1) {
            throw new IllegalArgumentException("slices and rows per slice must be at least 1, were "
                    + maxSlices + " and " + rowsPerSlice);
        }
    }

    /** Slices for a poll of a fixed size: at most one poll's worth of records in each of the slices. */
    static PollSlices forPoll(int maxSlices, int maxPollRecords) {
        return new PollSlices(maxSlices, Math.max(1, ceilDiv(maxPollRecords, maxSlices)));
    }

    /** The slices of a poll of {@code size} records, in order, covering each record once. */
    List<Slice> cut(int size) {
        if (size <= 0) {
            return List.of();
        }
        int slices = Math.min(maxSlices, ceilDiv(size, rowsPerSlice));
        int base = size / slices;
        int longer = size % slices;
        List<Slice> result = new ArrayList<>(slices);
        int from = 0;
        for (int i = 0; i < slices; i++) {
            int to = from + base + (i < longer ? 1 : 0);
            result.add(new Slice(from, to));
            from = to;
        }
        return result;
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
