package io.github.lightlys3ingest.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line in a JVM of its own, from the test classpath: for what an in-process run cannot show, such
 * as a heap of a given size running out or a signal ending the process. Output goes to files in {@code dir}.
 */
final class ChildJvm {
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code java <jvmOptions> Main <args>} with an empty AWS configuration. */
    static ChildJvm start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("AWS_REGION", "us-east-1");
        return new ChildJvm(builder.start(), out, err);
    }

    Process process() {
        return process;
    }

    /** Waits for the end and returns the exit code with what was printed. */
    CliRun await() throws IOException, InterruptedException {
        int exit = process.waitFor();
        return new CliRun(exit, java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
    }
}
