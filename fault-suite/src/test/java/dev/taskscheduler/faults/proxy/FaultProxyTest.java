package dev.taskscheduler.faults.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between a client and a TCP echo server on the loopback interface. */
class FaultProxyTest {

    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serveEcho, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = FaultProxy.start("test", 0, echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void aDelayedLinkStillCarriesEveryByte() throws IOException {
        proxy.set(new FaultProxy.Mode.Delay(Duration.ofMillis(20)));
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "slow")).isEqualTo("slow");
        }
    }

    @Test
    void aBlackholeSwallowsBytesOfOpenAndNewConnections() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");
            proxy.set(new FaultProxy.Mode.Blackhole());
            assertNoAnswer(open, "during");
            try (Socket fresh = connect()) {
                assertNoAnswer(fresh, "new");
            }
        }
    }

    @Test
    void healingEndsBlackholedConnectionsAndLetsNewOnesThrough() throws IOException {
        proxy.set(new FaultProxy.Mode.Blackhole());
        try (Socket held = connect()) {
            assertNoAnswer(held, "lost");
            proxy.heal();
            assertThatThrownBy(() -> {
                int read = held.getInputStream().read();
                if (read < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "after")).isEqualTo("after");
        }
    }

    @Test
    void cuttingResetsOpenConnections() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "x")).isEqualTo("x");
            Awaitility.await().until(() -> proxy.openLinks() == 1);
            proxy.set(new FaultProxy.Mode.Cut(Duration.ofSeconds(30)));
            Awaitility.await().until(() -> proxy.openLinks() == 0);
            assertThatThrownBy(() -> {
                client.getOutputStream().write('y');
                if (client.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
    }

    private static void assertNoAnswer(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.setSoTimeout(500);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        socket.setSoTimeout(5_000);
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket peer = echo.accept();
                Thread thread = new Thread(() -> {
                    try (peer; InputStream in = peer.getInputStream()) {
                        in.transferTo(peer.getOutputStream());
                    } catch (IOException e) {
                        // the peer went
                    }
                }, "echo-peer");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
