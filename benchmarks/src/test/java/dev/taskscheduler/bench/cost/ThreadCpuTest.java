package dev.taskscheduler.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Reading the CPU of every thread from the text of {@code jcmd <pid> Thread.print}. */
class ThreadCpuTest {

    /** Lines as a JDK 17 prints them, a Java thread with its stack and two JVM threads without. */
    private static final String DUMP = """
            2026-11-30 01:50:51
            Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

            "pool-10-thread-1" #141 prio=5 os_prio=0 cpu=3187.43ms elapsed=104.89s tid=0x00007fdd6416e610 \
            nid=0x2831 waiting on condition  [0x00007fdcf3efe000]
               java.lang.Thread.State: TIMED_WAITING (parking)
            \tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)
            \t- parking to wait for  <0x000000068b32ac18> (a java.util.concurrent.locks.AbstractQueuedSynchronizer)
            \tat io.debezium.connector.base.ChangeEventQueue.poll(ChangeEventQueue.java:304)
            \tat dev.taskscheduler.relay.Foo$$Lambda$812/0x0000000801745c40.run(Unknown Source)

            "VM Thread" os_prio=0 cpu=156.24ms elapsed=232.36s tid=0x00007fdda4152850 nid=0x1af1 runnable \s

            "GC Thread#0" os_prio=0 cpu=460.41ms elapsed=232.45s tid=0x00007fdda409fa70 nid=0x1ae7 runnable \s
            JNI global refs: 24, weak refs: 0
            """;

    @Test
    void readsJavaAndJvmThreadsWithTheirCpuAndStackClasses() {
        ThreadCpu threads = ThreadCpu.parse(DUMP);

        assertThat(threads.byNativeId()).containsOnlyKeys("0x2831", "0x1af1", "0x1ae7");
        ThreadCpu.Sample pool = threads.byNativeId().get("0x2831");
        assertThat(pool.name()).isEqualTo("pool-10-thread-1");
        assertThat(pool.cpuMs()).isEqualTo(3187.43);
        assertThat(pool.frames()).containsExactly("jdk.internal.misc.Unsafe",
                "io.debezium.connector.base.ChangeEventQueue", "dev.taskscheduler.relay.Foo$$Lambda$812/0x0000000801745c40");
        assertThat(threads.byNativeId().get("0x1af1").name()).isEqualTo("VM Thread");
        assertThat(threads.totalMs()).isEqualTo(3187.43 + 156.24 + 460.41);
    }

    @Property(tries = 300)
    void readsBackEveryThreadOfAnyDump(@ForAll("threads") List<ThreadCpu.Sample> threads) {
        Map<String, ThreadCpu.Sample> expected = new LinkedHashMap<>();
        StringBuilder dump = new StringBuilder("Full thread dump OpenJDK 64-Bit Server VM:\n\n");
        for (int i = 0; i < threads.size(); i++) {
            ThreadCpu.Sample thread = threads.get(i);
            String nid = "0x" + Integer.toHexString(1000 + i);
            expected.put(nid, thread);
            String cpu = String.format(Locale.ROOT, "%.2f", thread.cpuMs());
            if (i % 2 == 0) {
                dump.append('"').append(thread.name()).append("\" #").append(i + 10).append(" daemon prio=5 os_prio=0 cpu=")
                        .append(cpu).append("ms elapsed=12.50s tid=0x00007f0000000000 nid=").append(nid)
                        .append(" waiting on condition  [0x00007f0000000000]\n")
                        .append("   java.lang.Thread.State: WAITING (parking)\n");
                thread.frames().forEach(frame -> dump.append("\tat ").append(frame).append(".run(Some.java:1)\n"));
            } else {
                dump.append('"').append(thread.name()).append("\" os_prio=0 cpu=").append(cpu)
                        .append("ms elapsed=12.50s tid=0x00007f0000000000 nid=").append(nid).append(" runnable  \n");
            }
            dump.append('\n');
        }

        Map<String, ThreadCpu.Sample> parsed = ThreadCpu.parse(dump.toString()).byNativeId();

        assertThat(parsed).hasSameSizeAs(expected);
        expected.forEach((nid, thread) -> {
            assertThat(parsed.get(nid).name()).isEqualTo(thread.name());
            assertThat(parsed.get(nid).cpuMs()).isCloseTo(thread.cpuMs(), org.assertj.core.data.Offset.offset(0.006));
            int index = new ArrayList<>(expected.keySet()).indexOf(nid);
            assertThat(parsed.get(nid).frames()).isEqualTo(index % 2 == 0 ? thread.frames() : List.of());
        });
    }

    @Provide
    Arbitrary<List<ThreadCpu.Sample>> threads() {
        // Any name a thread can have on one line: quotes, spaces, pipes, digits, non-ASCII letters.
        Arbitrary<String> names = Arbitraries.strings().withChars("ab-_ |\"#=:.()[]0123456789é")
                .withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(40);
        Arbitrary<Double> cpu = Arbitraries.longs().between(0, 1_000_000_000L).map(hundredths -> hundredths / 100.0);
        Arbitrary<List<String>> frames = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(".", parts) + ".Main$Inner")
                .list().ofMaxSize(5);
        return Combinators.combine(names, cpu, frames).as(ThreadCpu.Sample::new).list().ofMaxSize(30);
    }
}
