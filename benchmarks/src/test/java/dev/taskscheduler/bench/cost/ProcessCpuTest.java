package dev.taskscheduler.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CPU of processes and the owner of a listening port, read from this machine's /proc. */
class ProcessCpuTest {

    private final long self = ProcessHandle.current().pid();

    @BeforeEach
    void onLinux() {
        assumeTrue(ProcessCpu.available(), "needs Linux's /proc");
    }

    @Test
    void findsTheProcessListeningOnAPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ProcessCpu.listeningOn(socket.getLocalPort())).hasValue(self);
        }
    }

    @Test
    void aPortNobodyListensOnHasNoProcess() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(ProcessCpu.listeningOn(port)).isEmpty();
    }

    @Test
    void countsTheCpuThisProcessSpends() {
        double before = ProcessCpu.ownMs(self);
        burnCpu(200);

        assertThat(ProcessCpu.ownMs(self) - before).isGreaterThanOrEqualTo(150);
        assertThat(ProcessCpu.treeMs(self)).isGreaterThanOrEqualTo(ProcessCpu.ownMs(self) - 10);
    }

    @Test
    void aProcessThatIsGoneHasNoFigure() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();

        assertThat(ProcessCpu.ownMs(process.pid())).isNaN();
        assertThat(ProcessCpu.treeMs(process.pid())).isNaN();
    }

    /** Spins until this thread has used {@code ms} of CPU, however busy the machine is. */
    private static void burnCpu(long ms) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + ms * 1_000_000;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sink += System.nanoTime() % 7;
        }
        assertThat(sink).isNotNegative();
    }
}
