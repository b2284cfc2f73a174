package io.github.lightlys3ingest.lightly;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and as whom the client talks to Lightly. The environment names Lightly's own tools use are
 * {@code LIGHTLY_SERVER_LOCATION}, {@code LIGHTLY_TOKEN} and {@code LIGHTLY_DATASET_ID}.
 *
 * @param serverLocation base URL of the API; null means {@link #DEFAULT_SERVER_LOCATION}
 * @param token          API token, sent as the query parameter {@code token}; never printed
 * @param datasetId      the dataset, 24 lower-case hex characters
 * @param requestTimeout how long one request may take; null means {@link #DEFAULT_REQUEST_TIMEOUT}
 */
public record LightlySettings(URI serverLocation, String token, String datasetId, Duration requestTimeout) {

    /** Lightly's public API. */
    public static final URI DEFAULT_SERVER_LOCATION =
            URI.create(io.github.lightlys3ingest.contract.Defaults.SERVER_LOCATION);
    /** The request timeout Lightly's own client used. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(180);

    private static final Pattern OBJECT_ID = Pattern.compile("^[a-f0-9]{24}$");

    /** Validates the settings and fills in defaults for null location and timeout. */
    public LightlySettings {
        serverLocation = serverLocation == null ? DEFAULT_SERVER_LOCATION : serverLocation;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        String scheme = serverLocation.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || serverLocation.getHost() == null) {
            throw new IllegalArgumentException("Lightly server location must be an http(s) URL, got '" + serverLocation + "'");
        }
        if (serverLocation.getRawQuery() != null) {
            throw new IllegalArgumentException("Lightly server location must not have a query string");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("Lightly token is missing (LIGHTLY_TOKEN)");
        }
        Objects.requireNonNull(datasetId, "Lightly dataset id is missing (LIGHTLY_DATASET_ID)");
        if (!OBJECT_ID.matcher(datasetId).matches()) {
            throw new IllegalArgumentException("Lightly dataset id must be 24 lower-case hex characters, got '" + datasetId + "'");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("Lightly request timeout must be positive, got " + requestTimeout);
        }
    }

    /** Settings for Lightly's public API with the default timeout. */
    public static LightlySettings of(String token, String datasetId) {
        return new LightlySettings(null, token, datasetId, null);
    }

    /** Replaces every occurrence of the token in {@code text}, so messages can be printed safely. */
    public String mask(String text) {
        return text == null ? null : text.replace(token, "***");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "LightlySettings[serverLocation=" + serverLocation + ", token=***, datasetId=" + datasetId
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
