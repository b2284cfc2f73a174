package io.github.lightlys3ingest.cli;

import io.github.lightlys3ingest.aws.AwsClients;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.lightly.LightlyClient;
import io.github.lightlys3ingest.lightly.LightlySettings;
import io.github.lightlys3ingest.pipeline.Ingestion;
import java.net.URI;
import java.util.function.Function;

/** The Lightly API as the environment names it, for commands that talk to one dataset. */
final class LightlyConnection {
    private LightlyConnection() {
    }

    /** The server location from {@code LIGHTLY_SERVER_LOCATION}, else Lightly's public API. */
    static URI serverLocation(Function<String, String> env) {
        String location = env.apply(EnvironmentVariable.LIGHTLY_SERVER_LOCATION.key());
        return location == null || location.isBlank() ? LightlySettings.DEFAULT_SERVER_LOCATION
                : URI.create(location.trim());
    }

    /**
     * A client for the dataset, with the token from {@code LIGHTLY_TOKEN} (or {@code LIGHTLY_TOKEN_SECRET_ID}).
     *
     * @throws IllegalArgumentException when there is no token or a setting is malformed
     */
    static LightlyClient open(Function<String, String> env, AwsClients aws, String datasetId) {
        return Ingestion.lightlyClient(serverLocation(env).toString(), datasetId, null, env, aws);
    }
}
