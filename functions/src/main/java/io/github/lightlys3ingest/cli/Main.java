package io.github.lightlys3ingest.cli;

/** Command-line entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("not implemented yet");
        System.exit(2);
    }
}
