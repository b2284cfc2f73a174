package io.github.lightlys3ingest.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark tool, not a test: the Lambda Runtime API (2018-06-01) as a runtime interface client sees it, on
 * loopback: {@code GET /runtime/invocation/next} hands out queued events, {@code POST .../response} and
 * {@code .../error} complete them, {@code POST /runtime/init/error} records a failed init, and
 * {@code GET /runtime/restore/next} (SnapStart's restore step) answers at once. Records when each happened.
 */
final class LocalRuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    private final HttpServer server;
    private final BlockingQueue<byte[]> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
    private volatile String initError;
    private int requests;

    LocalRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "runtime-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Nanotime of the first {@code invocation/next}: the end of init. */
    CompletableFuture<Long> firstNext() {
        return firstNext;
    }

    /** Nanotime of {@code restore/next}: after the {@code beforeCheckpoint} hooks ran. */
    CompletableFuture<Long> restoreNext() {
        return restoreNext;
    }

    String initError() {
        return initError;
    }

    /** Queues an event; the future completes with the nanotime of its response (or fails on an error post). */
    synchronized CompletableFuture<Long> invoke(byte[] event) {
        String id = "request-" + (++requests);
        CompletableFuture<Long> done = new CompletableFuture<>();
        pending.put(id, done);
        events.add((id + "\n").getBytes(StandardCharsets.UTF_8));
        events.add(event);
        return done;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath().substring(BASE.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("invocation/next")) {
                firstNext.complete(now);
                String id = new String(events.take(), StandardCharsets.UTF_8).trim();
                byte[] event = events.take();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", id);
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5)));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:ingest");
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000");
                reply(exchange, 200, event);
            } else if (path.equals("restore/next")) {
                restoreNext.complete(now);
                reply(exchange, 200, new byte[0]);
            } else if (path.equals("init/error")) {
                initError = new String(body, StandardCharsets.UTF_8);
                firstNext.completeExceptionally(new IllegalStateException("init error: " + initError));
                reply(exchange, 202, new byte[0]);
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, now, null);
                reply(exchange, 202, new byte[0]);
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(path, now, new String(body, StandardCharsets.UTF_8));
                reply(exchange, 202, new byte[0]);
            } else {
                reply(exchange, 404, new byte[0]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 500, new byte[0]);
        }
    }

    private void complete(String path, long now, String error) {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        CompletableFuture<Long> done = pending.remove(id);
        if (done != null && error == null) {
            done.complete(now);
        } else if (done != null) {
            done.completeExceptionally(new IllegalStateException("invocation error: " + error));
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        // The client reads the content type without checking it is there (libcurl answers null otherwise).
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
