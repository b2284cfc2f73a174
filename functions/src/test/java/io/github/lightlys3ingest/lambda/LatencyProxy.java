package io.github.lightlys3ingest.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark tool, not a test: a TCP proxy on loopback that adds a fixed delay to every HTTP round trip, as a
 * network between a Lambda function and S3 or the Lightly API would. It holds back the first bytes of each
 * answer that follows bytes the client sent (one request on a keep-alive connection, or a {@code 100 Continue}
 * and then the final response) by {@code delay}; the rest of the answer streams through at once. Connection
 * set-up (TCP, TLS) adds nothing: moto answers HTTP/1.0 and closes every connection, which real S3 keeps alive.
 */
final class LatencyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final long delayMillis;
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private LatencyProxy(InetSocketAddress upstream, Duration delay) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.upstream = upstream;
        this.delayMillis = delay.toMillis();
        Thread acceptor = new Thread(this::accept, "latency-proxy-" + upstream.getPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of {@code target} (scheme http, host and port used; path kept by the caller). */
    static LatencyProxy start(URI target, Duration delay) throws IOException {
        return new LatencyProxy(new InetSocketAddress(target.getHost(), target.getPort()), delay);
    }

    /** {@code target} with the host and port replaced by this proxy's. */
    URI front(URI target) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + (target.getRawPath() == null ? ""
                : target.getRawPath()));
    }

    /** Round trips delayed so far: about one per HTTP request, two for a request sent with 100-continue. */
    long roundTrips() {
        return delayed.get();
    }

    /** Connections accepted so far. */
    long connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket();
                target.connect(upstream);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                connections.incrementAndGet();
                AtomicBoolean requestSent = new AtomicBoolean();
                pump(client, target, requestSent, false);
                pump(target, client, requestSent, true);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("latency proxy: " + e);
                }
            }
        }
    }

    /** Copies one direction of a connection on its own thread; answers wait {@code delay} after a request. */
    private void pump(Socket from, Socket to, AtomicBoolean requestSent, boolean answers) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!answers) {
                        requestSent.set(true);
                    } else if (requestSent.getAndSet(false)) {
                        delayed.incrementAndGet();
                        Thread.sleep(delayMillis);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // The other side closed the connection: close ours too (below).
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "latency-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed by the other direction.
        }
    }
}
