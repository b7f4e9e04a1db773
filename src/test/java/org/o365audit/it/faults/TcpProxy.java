package org.o365audit.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL), so a test can take the network away
 * from the collector while the server itself keeps running: {@link #cut()} resets every open connection
 * and refuses new ones (the listener is closed, so clients get "connection refused", as when the database
 * is down); {@link #blackhole()} is a hung network instead: open connections stop carrying bytes and new
 * ones are accepted but never answered, until {@link #restore()} lets the held bytes through. Blocking
 * sockets and daemon threads, two per connection; at most {@link #MAX_CONNECTIONS} at a time (more are reset).
 */
public final class TcpProxy implements AutoCloseable {
    static final int MAX_CONNECTIONS = 64;
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private enum Mode { OPEN, REFUSING, BLACKHOLE, CLOSED }

    private final InetSocketAddress target;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}, as is {@link #listener}, which is closed while refusing. */
    private Mode mode = Mode.OPEN;
    private ServerSocket listener;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listenBelowEphemeralRange();
        this.port = listener.getLocalPort();
        daemon("tcp-proxy-" + port + "-accept", this::acceptLoop).start();
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code host:port}, open at once. */
    public static TcpProxy to(String host, int port) throws IOException {
        return new TcpProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return port;
    }

    /** Resets every open connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        synchronized (lock) {
            requireOpen();
            mode = Mode.REFUSING;
            closeQuietly(listener);
            resetAll();   // under the lock, so a pump woken by notifyAll cannot close its link gracefully first
            lock.notifyAll();
        }
    }

    /** Holds every byte of open connections and accepts new ones without answering, until {@link #restore()}. */
    public void blackhole() {
        synchronized (lock) {
            requireOpen();
            listenAgain();
            mode = Mode.BLACKHOLE;
        }
    }

    /** Forwards again: new connections reach the target, held bytes go through. */
    public void restore() {
        synchronized (lock) {
            requireOpen();
            listenAgain();
            mode = Mode.OPEN;
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            mode = Mode.CLOSED;
            closeQuietly(listener);
            resetAll();
            lock.notifyAll();
        }
    }

    private void acceptLoop() {
        try {
            while (true) {
                ServerSocket current;
                synchronized (lock) {
                    while (mode == Mode.REFUSING) {
                        lock.wait();
                    }
                    if (mode == Mode.CLOSED) {
                        return;
                    }
                    current = listener;
                }
                try {
                    admit(current.accept());
                } catch (IOException e) {
                    // the listener was closed by cut() or close(): the mode says what comes next
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(Socket client) {
        Link link = new Link(client);
        synchronized (lock) {
            if (mode == Mode.REFUSING || mode == Mode.CLOSED || links.size() >= MAX_CONNECTIONS) {
                reset(client);
                return;
            }
            links.add(link);
        }
        daemon("tcp-proxy-" + port + "-down", link::run).start();
    }

    /** Returns when bytes may flow; throws when the link was cut meanwhile. */
    private void awaitFlowing() throws InterruptedException, IOException {
        synchronized (lock) {
            while (mode == Mode.BLACKHOLE) {
                lock.wait();
            }
            if (mode != Mode.OPEN) {
                throw new IOException("proxy cut or closed");
            }
        }
    }

    private void requireOpen() {
        if (mode == Mode.CLOSED) {
            throw new IllegalStateException("proxy on port " + port + " is closed");
        }
    }

    /** Binds the same port again after cut() closed it (SO_REUSEADDR makes that immediate). */
    private void listenAgain() {
        if (listener.isClosed()) {
            try {
                listener = listen(port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on port " + port + " again", e);
            }
        }
    }

    private void resetAll() {
        links.forEach(Link::reset);
        links.clear();
    }

    /**
     * A port below Linux's ephemeral range (32768 and up): while the proxy refuses, no bind to port 0
     * can take its port and no client can connect to itself through it, so "refused" stays refused
     * and {@link #restore()} can listen again.
     */
    private static ServerSocket listenBelowEphemeralRange() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try {
                return listen(candidate);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), MAX_CONNECTIONS);
        return socket;
    }

    /** Closes with SO_LINGER 0, so the peer gets a RST at once instead of an orderly end of stream. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is all that is wanted
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket upstream = new Socket();

        Link(Socket client) {
            this.client = client;
        }

        /** Connects to the target (after a blackhole, if one is on), then carries target → client. */
        void run() {
            try {
                awaitFlowing();
                upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                daemon("tcp-proxy-" + port + "-up", () -> pump(client, upstream)).start();
                pump(upstream, client);
            } catch (IOException | InterruptedException e) {
                end();
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_BYTES];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    awaitFlowing();
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or cut()/close() reset the link
            } finally {
                end();
            }
        }

        /** One side ended: the other is closed in order, as a real server would. */
        private void end() {
            closeQuietly(client);
            closeQuietly(upstream);
            links.remove(this);
        }

        void reset() {
            TcpProxy.reset(client);
            TcpProxy.reset(upstream);
        }
    }
}
