package io.github.lightlys3ingest.lightly;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
    /** How long one JSON call may take by default ({@code LIGHTLY_REQUEST_TIMEOUT}). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT =
            Duration.ofSeconds(io.github.lightlys3ingest.contract.Defaults.LIGHTLY_REQUEST_TIMEOUT_SECONDS);

    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-F]{2}");

    /** Validates the settings and fills in defaults for null location and timeout. */
    public LightlySettings {
        serverLocation = serverLocation == null ? DEFAULT_SERVER_LOCATION : serverLocation;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        String scheme = serverLocation.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                || serverLocation.getHost() == null) {
            throw new IllegalArgumentException(
                    "Lightly server location must be an http(s) URL, got '" + serverLocation + "'");
        }
        if (serverLocation.getRawQuery() != null) {
            throw new IllegalArgumentException("Lightly server location must not have a query string");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("Lightly token is missing (LIGHTLY_TOKEN)");
        }
        Objects.requireNonNull(datasetId, "Lightly dataset id is missing (LIGHTLY_DATASET_ID)");
        if (!ObjectId.isValid(datasetId)) {
            throw new IllegalArgumentException("Lightly dataset id must be " + ObjectId.SHAPE + ", got '" + datasetId
                    + "'");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("Lightly request timeout must be positive, got " + requestTimeout);
        }
    }

    /** Settings for Lightly's public API with the default timeout. */
    public static LightlySettings of(String token, String datasetId) {
        return new LightlySettings(null, token, datasetId, null);
    }

    /**
     * Replaces every occurrence of the token in {@code text}, raw and URL-encoded (as it travels in the
     * query string, with {@code +} or {@code %20} for a space and upper- or lower-case hex), so messages can
     * be printed safely.
     */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String form : tokenForms()) {
            masked = masked.replace(form, "***");
        }
        return masked;
    }

    /** {@code scheme://host:port} of the server, for messages: no path, no user info, never the token. */
    public String server() {
        int port = serverLocation.getPort() >= 0 ? serverLocation.getPort()
                : "https".equalsIgnoreCase(serverLocation.getScheme()) ? 443 : 80;
        return serverLocation.getScheme().toLowerCase(Locale.ROOT) + "://" + serverLocation.getHost() + ":" + port;
    }

    private List<String> tokenForms() {
        Set<String> forms = new LinkedHashSet<>();
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
        for (String form : List.of(token, encoded, encoded.replace("+", "%20"))) {
            forms.add(form);
            forms.add(PERCENT_ESCAPE.matcher(form).replaceAll(m -> m.group().toLowerCase(Locale.ROOT)));
        }
        // the longest first, so a form that contains another is masked whole
        return forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "LightlySettings[serverLocation=" + serverLocation + ", token=***, datasetId=" + datasetId
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
