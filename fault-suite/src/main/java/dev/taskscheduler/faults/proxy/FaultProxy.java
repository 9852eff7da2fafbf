package dev.taskscheduler.faults.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on the loopback interface between one service and one dependency (Kafka, PostgreSQL,
 * Redis), whose link the suite can degrade: delay every chunk, cut connections, or blackhole them
 * (a partition: bytes go in and nothing comes out, and a new connection is accepted but never
 * reaches the dependency). Healing closes the blackholed connections, as TCP would have given up
 * on them, and lets new ones through.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

    /** What the link does now. */
    public sealed interface Mode {
        record Pass() implements Mode {
        }

        /** Every chunk of bytes, either way, waits this long before it is passed on. */
        record Delay(Duration delay) implements Mode {
        }

        /** Open connections are reset at once, new ones after a random life of up to {@code maxLife}. */
        record Cut(Duration maxLife) implements Mode {
        }

        record Blackhole() implements Mode {
        }
    }

    public static final Mode PASS = new Mode.Pass();

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "proxy-cutter");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Mode mode = PASS;
    private volatile boolean closed;

    private FaultProxy(String name, InetSocketAddress target, ServerSocket server) {
        this.name = name;
        this.target = target;
        this.server = server;
    }

    /** A proxy on a free loopback port (or {@code port}) to {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(String name, int port, int targetPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            FaultProxy proxy = new FaultProxy(name,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), server);
            Thread acceptor = new Thread(proxy::acceptLoop, "proxy-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open proxy " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** Open connections through the proxy right now. */
    public int openLinks() {
        return links.size();
    }

    public void set(Mode newMode) {
        Mode old = mode;
        mode = newMode;
        log.info("Proxy {}: {} -> {}", name, old, newMode);
        if (newMode instanceof Mode.Cut cut) {
            links.forEach(Link::reset);
            links.forEach(link -> scheduleCut(link, cut)); // none left, normally
        }
        if (old instanceof Mode.Blackhole && !(newMode instanceof Mode.Blackhole)) {
            links.stream().filter(link -> link.blackholed).forEach(Link::reset);
        }
    }

    public void heal() {
        set(PASS);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Proxy {} stopped accepting: {}", name, e.toString());
                }
                return;
            }
            Thread opener = new Thread(() -> open(client), "proxy-" + name + "-open");
            opener.setDaemon(true);
            opener.start();
        }
    }

    private void open(Socket client) {
        Mode now = mode;
        Link link = new Link(client);
        links.add(link);
        if (now instanceof Mode.Blackhole) {
            link.blackholed = true;
            link.pump(client, null, "in");
            return;
        }
        try {
            Socket upstream = new Socket();
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 5_000);
            client.setTcpNoDelay(true);
            link.upstream = upstream;
        } catch (IOException e) {
            link.reset();
            return;
        }
        link.pump(client, link.upstream, "in");
        link.pump(link.upstream, client, "out");
        if (now instanceof Mode.Cut cut) {
            scheduleCut(link, cut);
        }
    }

    private void scheduleCut(Link link, Mode.Cut cut) {
        long life = ThreadLocalRandom.current().nextLong(Math.max(1, cut.maxLife().toMillis()));
        cutter.schedule(link::reset, life, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::reset);
        cutter.shutdownNow();
    }

    /** One client connection and its connection to the dependency. */
    private final class Link {
        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean blackholed;

        Link(Socket client) {
            this.client = client;
        }

        void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> copy(from, to), "proxy-" + name + "-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    Mode now = mode;
                    if (now instanceof Mode.Blackhole || blackholed) {
                        blackholed = true; // swallowed: this connection can never be whole again
                        continue;
                    }
                    if (now instanceof Mode.Delay delay) {
                        Thread.sleep(delay.delay().toMillis());
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException e) {
                // reset by either side or by the proxy
            } catch (IOException e) {
                log.debug("Proxy {} link ended: {}", name, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!blackholed) {
                    reset();
                }
            }
        }

        /** Closes both sides with a reset, as a broken connection looks to its ends. */
        void reset() {
            links.remove(this);
            abort(client);
            Socket up = upstream;
            if (up != null) {
                abort(up);
            }
        }

        private void abort(Socket socket) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
