package dev.taskscheduler.bench.cost;

import dev.taskscheduler.bench.system.FlightRecorder;
import dev.taskscheduler.bench.system.SystemUnderTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Measures the CPU a span of the benchmark costs: {@link #start()} takes a snapshot, {@link
 * Span#stop} another and returns the difference. Processes are read from /proc (PostgreSQL and
 * Redis found by the ports they listen on); the services' threads from {@code jcmd Thread.print},
 * grouped by {@link ThreadOwners}. CPU of threads that exited during the span is the process's
 * total less the sum of its live threads.
 */
public final class CostMeter {

    private static final int OTHER_NAMES_LISTED = 12;

    private final OptionalLong services;
    private final OptionalLong postgres;
    private final OptionalLong redis;
    private final long benchmark = ProcessHandle.current().pid();
    private final ThreadOwners owners;

    public CostMeter(SystemUnderTest system) {
        boolean proc = ProcessCpu.available();
        this.services = proc ? system.pid() : OptionalLong.empty();
        this.postgres = proc ? ProcessCpu.listeningOn(system.endpoints().dbPort()) : OptionalLong.empty();
        this.redis = proc && system.endpoints().redisPort() > 0
                ? ProcessCpu.listeningOn(system.endpoints().redisPort()) : OptionalLong.empty();
        this.owners = new ThreadOwners(system.endpoints().servicePorts());
    }

    /** Which processes were found, for the run's notes. */
    public String describe() {
        return "CPU measured from /proc for the services' JVM (" + pid(services) + "), PostgreSQL's postmaster and "
                + "its children (" + pid(postgres) + "), Redis (" + pid(redis) + ") and the benchmark's JVM ("
                + benchmark + ")";
    }

    public Span start() {
        return new Span();
    }

    /** A measured span, from {@link CostMeter#start()} to {@link #stop}. */
    public final class Span {

        private final long startedNanos = System.nanoTime();
        private final ThreadCpu threadsAtStart = threads();
        private final Map<String, Double> processesAtStart = processes();

        private Span() {
        }

        /** @param tasks tasks handled during the span (0 when none) */
        public CostSample stop(String label, long tasks) {
            ThreadCpu threadsAtEnd = threads();
            Map<String, Double> processesAtEnd = processes();
            double seconds = (System.nanoTime() - startedNanos) / 1e9;

            List<ComponentCost> processCosts = new ArrayList<>();
            double system = 0;
            for (Map.Entry<String, Double> end : processesAtEnd.entrySet()) {
                double used = end.getValue() - processesAtStart.getOrDefault(end.getKey(), Double.NaN);
                processCosts.add(ComponentCost.of(end.getKey(), used, seconds, tasks));
                if (!end.getKey().equals(CostSample.BENCHMARK_JVM) && !Double.isNaN(used)) {
                    system += used;
                }
            }
            processCosts.add(ComponentCost.of(CostSample.SYSTEM, system, seconds, tasks));

            List<ComponentCost> serviceCosts = new ArrayList<>();
            Map<String, Double> otherThreads = new LinkedHashMap<>();
            if (threadsAtEnd != null && threadsAtStart != null) {
                Map<String, Double> byOwner = new LinkedHashMap<>();
                ThreadOwners.ALL.forEach(owner -> byOwner.put(owner, 0.0));
                Map<String, Double> unmatched = new LinkedHashMap<>();
                double live = 0;
                for (Map.Entry<String, ThreadCpu.Sample> entry : threadsAtEnd.byNativeId().entrySet()) {
                    ThreadCpu.Sample thread = entry.getValue();
                    ThreadCpu.Sample before = threadsAtStart.byNativeId().get(entry.getKey());
                    // A native id reused by a new thread of another name is a new thread.
                    double used = before != null && before.name().equals(thread.name())
                            ? thread.cpuMs() - before.cpuMs() : thread.cpuMs();
                    live += used;
                    String owner = owners.ownerOf(thread.name(), thread.frames());
                    if (owner == null || owner.equals(ThreadOwners.OTHER)) {
                        owner = ThreadOwners.OTHER;
                        unmatched.merge(ThreadOwners.family(thread.name()), used, Double::sum);
                    }
                    byOwner.merge(owner, used, Double::sum);
                }
                byOwner.forEach((owner, used) -> serviceCosts.add(ComponentCost.of(owner, used, seconds, tasks)));
                double process = processesAtEnd.getOrDefault(CostSample.SERVICES_JVM, Double.NaN)
                        - processesAtStart.getOrDefault(CostSample.SERVICES_JVM, Double.NaN);
                // /proc counts in clock ticks: a small negative rest is rounding, not CPU.
                serviceCosts.add(ComponentCost.of(CostSample.EXITED_THREADS, Math.max(0, process - live), seconds,
                        tasks));
                unmatched.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(OTHER_NAMES_LISTED)
                        .forEach(e -> otherThreads.put(e.getKey(), Math.round(e.getValue() * 10) / 10.0));
            }
            return new CostSample(label, seconds, tasks, processCosts, serviceCosts, otherThreads);
        }
    }

    private ThreadCpu threads() {
        if (services.isEmpty()) {
            return null;
        }
        try {
            return ThreadCpu.parse(FlightRecorder.jcmd(services.getAsLong(), "Thread.print"));
        } catch (IOException | IllegalStateException e) {
            return null; // the process is gone or refuses to attach: no split by service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** CPU so far of each process that was found, in a fixed order. */
    private Map<String, Double> processes() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        services.ifPresent(pid -> cpu.put(CostSample.SERVICES_JVM, ProcessCpu.ownMs(pid)));
        postgres.ifPresent(pid -> cpu.put(CostSample.POSTGRES, ProcessCpu.treeMs(pid)));
        redis.ifPresent(pid -> cpu.put(CostSample.REDIS, ProcessCpu.treeMs(pid)));
        cpu.put(CostSample.BENCHMARK_JVM, ProcessCpu.ownMs(benchmark));
        return cpu;
    }

    private static String pid(OptionalLong pid) {
        return pid.isPresent() ? "pid " + pid.getAsLong() : "not found";
    }
}
