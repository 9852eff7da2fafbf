package dev.taskscheduler.bench.scenario;

/**
 * When the warm-up has done its job. The services share one JVM, whose two compiler threads fall
 * minutes behind under load; a figure taken while they still compile measures them as much as the
 * system. So the warm-up runs in rounds and ends once a round kept the JIT compilers at or below a
 * share of a core, after at least {@code minRounds} and at most {@code maxRounds}. The first round offers
 * half the rate, as a freshly started service is given traffic gradually.
 *
 * @param rate              tasks/s each channel is offered from the second round on
 * @param minRounds         rounds run whatever the compilers do
 * @param maxRounds         rounds after which the warm-up ends even if they are still busy
 * @param quietJitPercent   the compilers' share of one core over a round at or below which they count
 *                          as caught up
 */
public record WarmupRule(int rate, int minRounds, int maxRounds, double quietJitPercent) {

    public WarmupRule {
        if (rate <= 0 || minRounds < 1 || maxRounds < minRounds || quietJitPercent < 0) {
            throw new IllegalArgumentException("rate > 0, 1 <= minRounds <= maxRounds, quietJitPercent >= 0: " + rate
                    + ", " + minRounds + ", " + maxRounds + ", " + quietJitPercent);
        }
    }

    /** The rate offered through each channel in {@code round} (counted from 1). */
    public int rateOf(int round) {
        return round == 1 ? Math.max(1, rate / 2) : rate;
    }

    /**
     * @param round      the round just run, counted from 1
     * @param jitPercent the compilers' share of one core over it; NaN when it could not be measured
     *                   (a running system without its process id), which ends the warm-up at
     *                   {@code minRounds}
     */
    public boolean doneAfter(int round, double jitPercent) {
        if (round < minRounds) {
            return false;
        }
        return round >= maxRounds || Double.isNaN(jitPercent) || jitPercent <= quietJitPercent;
    }
}
