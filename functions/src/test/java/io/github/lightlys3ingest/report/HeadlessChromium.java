package io.github.lightlys3ingest.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, run headless with networking cut off: every proxied request goes to a closed port and
 * every host name resolves to nothing, so a page that needs the network shows it. Fails (never skips) when
 * chromium is missing.
 */
public final class HeadlessChromium {
    public static final String INSTALL_HINT = "apt-get install -y chromium";
    private static final long TIMEOUT_SECONDS = 120;

    private HeadlessChromium() {
    }

    /** The page's DOM after loading, as chromium serializes it. */
    public static String dumpDom(Path page, Path scratch) throws IOException, InterruptedException {
        return run(page, scratch, List.of("--dump-dom"));
    }

    /** Takes a screenshot of the page into {@code png}. */
    public static void screenshot(Path page, Path png, int width, int height, Path scratch)
            throws IOException, InterruptedException {
        run(page, scratch, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path page, Path scratch, List<String> action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium-profile"),
                "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"));
        command.addAll(action);
        command.add(page.toAbsolutePath().toUri().toString());
        Path stdout = Files.createTempFile(scratch, "chromium-out", ".txt");
        Path stderr = Files.createTempFile(scratch, "chromium-err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + process.exitValue() + ": "
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String executable() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new AssertionError("chromium not found on PATH: " + INSTALL_HINT);
    }
}
