package dev.taskscheduler.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Picks free TCP ports on the loopback interface. */
public final class FreePorts {

    /** Ports already handed out in this JVM: the OS may offer a just-released port again before its user binds it. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port that was free a moment ago and has not been returned by this method before in this JVM. */
    public static int pick() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open a loopback server socket to find a free port", e);
            }
        }
        throw new IllegalStateException("No new free port found in 20 attempts");
    }

    /**
     * A {@linkplain #pick() free port} when {@code port} is 0, otherwise {@code port} after checking that nothing
     * listens on it: a server started on a taken port fails late and obscurely, or (PostgreSQL) may even talk to the
     * process that holds it.
     */
    public static int orPick(int port, String purpose) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port for " + purpose + " must be between 0 and 65535, was " + port);
        }
        if (port == 0) {
            return pick();
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + purpose + " is already in use", e);
        }
    }
}
