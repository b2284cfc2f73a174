package io.github.lightlys3ingest.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Datasource calls run beside other work (a thumbnail upload beside the Lightly call, a sidecar read beside the
 * image read), whose failures come back as they were thrown: an {@link IOException} stays an IOException.
 */
public final class IoFutures {

    private IoFutures() {
    }

    /** A datasource call that may fail. */
    @FunctionalInterface
    public interface Call<T> {
        T get() throws IOException;
    }

    /** Starts {@code call} on {@code executor}. */
    public static <T> CompletableFuture<T> supply(Call<T> call, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    /** Waits for a call from {@link #supply}, rethrowing its failure as the call threw it. */
    public static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Waits for a call whose outcome no longer matters, because the work it belonged to already failed. */
    public static void settle(CompletableFuture<?> future) {
        future.exceptionally(e -> null).join();
    }
}
