package dev.taskscheduler.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void picksDistinctPortsAndKeepsAFreeFixedPort() {
        int first = FreePorts.pick();
        assertThat(FreePorts.pick()).isNotEqualTo(first);
        assertThat(FreePorts.orPick(first, "test")).isEqualTo(first);
    }

    @Test
    void rejectsAFixedPortThatIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatIllegalStateException().isThrownBy(() -> FreePorts.orPick(taken.getLocalPort(), "PostgreSQL"))
                    .withMessage("Port " + taken.getLocalPort() + " for PostgreSQL is already in use");
        }
    }
}
