package io.github.lightlys3ingest.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long run on stderr: a bar redrawn in place on a terminal, a line every 10 s otherwise
 * (CI logs, redirected output).
 */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final AtomicLong listed = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private volatile boolean listingComplete;
    private volatile long lastPrint = startNanos;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void listed() {
        listed.incrementAndGet();
    }

    void listingComplete() {
        listingComplete = true;
    }

    void done() {
        done.incrementAndGet();
        long now = System.nanoTime();
        long interval = terminal ? 200_000_000L : 10_000_000_000L;
        if (now - lastPrint >= interval) {
            synchronized (this) {
                if (now - lastPrint >= interval) {
                    lastPrint = now;
                    print(false);
                }
            }
        }
    }

    synchronized void finish() {
        if (terminal) {
            print(true);
        }
    }

    private void print(boolean last) {
        long d = done.get();
        long total = listed.get();
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = d / seconds;
        String totalText = listingComplete ? Long.toString(total) : total + "+";
        StringBuilder line = new StringBuilder();
        if (listingComplete && total > 0) {
            int width = 30;
            int filled = (int) (width * d / total);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
        }
        line.append(d).append('/').append(totalText).append(String.format(" %.1f img/s", rate));
        if (listingComplete && rate > 0 && d < total) {
            line.append(String.format(" ETA %ds", Math.round((total - d) / rate)));
        }
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }
}
