package org.o365audit.it.receivers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS endpoint on 127.0.0.1 that a test starts, takes down (connection refused), brings back on the same
 * port and closes. Subclasses answer requests in {@link #handle}; an exception there becomes a 500 and is kept in
 * {@link #internalErrors()}, so a bug in a fake never passes for a behaviour of the system under test.
 */
public abstract class HttpsReceiver implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        // The JDK server writes a response's headers and body separately; with Nagle on (its default) the body
        // waits for the client's delayed ACK, about 40 ms per request, and a sink benchmark would time that.
        // Read once, when the JDK's server configuration loads: before the first server of this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SSLContext tls;
    private final ExecutorService executor;
    private final List<Throwable> internalErrors = new CopyOnWriteArrayList<>();
    private final Object serverLock = new Object(); // not `this`: subclasses lock themselves for their state
    private HttpsServer server;
    private int port;

    protected HttpsReceiver() {
        this(ReceiverTls.serverContext());
    }

    /** Presenting the certificate of {@code tls} instead of the simulator's. */
    protected HttpsReceiver(SSLContext tls) {
        this.tls = tls;
        String name = getClass().getSimpleName();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Answers one request; the exchange is closed afterwards. */
    protected abstract void handle(HttpExchange exchange) throws IOException;

    /** Binds a free port; call once, at the end of the subclass's factory. */
    protected final void listen() {
        synchronized (serverLock) {
            bind(0);
        }
    }

    public final int port() {
        synchronized (serverLock) {
            return port;
        }
    }

    /** {@code https://127.0.0.1:<port>} with no trailing slash. */
    public final String baseUrl() {
        return "https://127.0.0.1:" + port();
    }

    /** Stops listening: new connections are refused until {@link #comeBack()}. */
    public final void goDown() {
        synchronized (serverLock) {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }
    }

    /** Listens again on the same port. */
    public final void comeBack() {
        synchronized (serverLock) {
            if (server == null) {
                bind(port);
            }
        }
    }

    public final boolean isUp() {
        synchronized (serverLock) {
            return server != null;
        }
    }

    /** Exceptions thrown while answering (each answered with 500); should stay empty. */
    public final List<Throwable> internalErrors() {
        return List.copyOf(internalErrors);
    }

    @Override
    public void close() {
        goDown();
        executor.shutdownNow();
    }

    private void bind(int wanted) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            s.setExecutor(executor);
            s.createContext("/", this::dispatch);
            s.start();
            server = s;
            port = s.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + wanted, e);
        }
    }

    private void dispatch(HttpExchange exchange) {
        try (exchange) {
            handle(exchange);
        } catch (Throwable t) {
            internalErrors.add(t);
            try {
                exchange.sendResponseHeaders(500, -1);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be out; the error is recorded either way
            }
        }
    }

    protected static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    protected static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }
}
