package io.github.lightlys3ingest.moto;

import io.github.lightlys3ingest.aws.AwsClients;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.regions.Region;

/**
 * An AWS emulator for tests: one moto server per JVM, started on first use on a free port and stopped
 * when the JVM exits (or {@link #stop()} is called, which {@link MotoExtension} does at the end of the test
 * run).
 *
 * <p>The server is moto with one change, {@code moto/atomic_moto_server.py}: S3 PutObject is serialized, so
 * conditional writes ({@code If-None-Match: *}, {@code If-Match}) are atomic as they are on S3; moto itself
 * checks and writes without a lock, and two racing claims could both win.
 *
 * <p>When {@code AWS_ENDPOINT_URL} is set (LocalStack, or a moto server started by hand) that endpoint is
 * used instead, and {@link #reset()} leaves its state alone. Clients get the static credentials
 * {@code test}/{@code test} through the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
 * properties, which come first in the SDK's default credentials chain.
 *
 * <p>Typical use: {@code @ExtendWith(MotoExtension.class)} on the test class and a {@code MotoServer}
 * parameter, or {@code MotoServer.shared()} directly and {@code reset()} in {@code @BeforeEach}.
 */
public final class MotoServer {
    public static final String INSTALL_HINT = "pip install 'moto[server]'";
    public static final Region REGION = Region.US_EAST_1;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static MotoServer shared;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The server of this JVM, started now if it is not running yet. */
    public static synchronized MotoServer shared() {
        if (shared == null || !shared.isUsable()) {
            useTestCredentials();
            String external = System.getenv("AWS_ENDPOINT_URL");
            shared = external == null || external.isBlank()
                    ? start()
                    : new MotoServer(URI.create(external.trim()), null);
        }
        return shared;
    }

    /** The emulator's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Client factory pointed at this server (region us-east-1, path-style S3). */
    public AwsClients clients() {
        return new AwsClients(REGION, Optional.of(endpoint));
    }

    /**
     * A bucket or queue name no other test uses: {@code base} plus a random suffix. Tests use it so they
     * also pass against an external endpoint, whose state is never reset.
     */
    public static String freshName(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** True when the endpoint came from {@code AWS_ENDPOINT_URL} rather than from a server started here. */
    public boolean external() {
        return process == null;
    }

    /** Forgets every bucket, queue, role and secret; does nothing to an external endpoint. */
    public void reset() {
        if (external()) {
            return;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting moto", e);
        }
    }

    /** Stops the server process started by this class; a later {@link #shared()} starts a new one. */
    public static synchronized void stop() {
        if (shared != null && shared.process != null) {
            shared.destroy();
        }
        shared = null;
    }

    private boolean isUsable() {
        return process == null || process.isAlive();
    }

    private static void useTestCredentials() {
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
        }
    }

    private static MotoServer start() {
        List<String> command = serverCommand();
        int port = freePort();
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "moto-server-stop"));
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new AssertionError("could not start " + String.join(" ", full) + ": " + e.getMessage()
                    + " (" + INSTALL_HINT + ")", e);
        }
    }

    /** The atomic-PutObject launcher through a {@code python3} that has moto. */
    private static List<String> serverCommand() {
        Optional<Path> python = onPath("python3");
        if (python.isEmpty() || !pythonHasMoto(python.get())) {
            throw new AssertionError("python3 with moto not found: " + INSTALL_HINT);
        }
        try (InputStream launcher = MotoServer.class.getResourceAsStream("/moto/atomic_moto_server.py")) {
            if (launcher == null) {
                throw new AssertionError("moto/atomic_moto_server.py is missing from the test resources");
            }
            Path script = Files.createTempFile("atomic-moto-server-", ".py");
            script.toFile().deleteOnExit();
            Files.write(script, launcher.readAllBytes());
            return List.of(python.get().toString(), script.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the moto launcher", e);
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean pythonHasMoto(Path python) {
        try {
            Process check = new ProcessBuilder(python.toString(), "-c", "import moto.server")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("moto_server exited with " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip() + " (" + INSTALL_HINT + ")");
            }
            try {
                http.send(ping, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        destroy();
        throw new AssertionError("moto_server did not answer on " + endpoint + " within " + STARTUP_TIMEOUT);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void destroy() {
        // The PATH entry may be a wrapper script (pyenv shim): stop the real server below it too.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
