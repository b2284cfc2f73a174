package io.github.lightlys3ingest.lightly;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.json.Json;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Finds the Lightly API token: in Lambda from Secrets Manager ({@code LIGHTLY_TOKEN_SECRET_ID}; the secret
 * is the token itself or JSON with a {@code token} field), elsewhere from {@code LIGHTLY_TOKEN} as in
 * Lightly's own tools. A plain environment variable is refused inside Lambda: it would show in the console.
 */
public final class LightlyToken {
    private static final String SECRET_ID = EnvironmentVariable.LIGHTLY_TOKEN_SECRET_ID.key();
    private static final String TOKEN = EnvironmentVariable.LIGHTLY_TOKEN.key();

    private LightlyToken() {
    }

    /**
     * @return the token, or empty when neither variable is set (a dry run)
     * @throws IllegalArgumentException when the configuration is wrong, naming the variable
     */
    public static Optional<String> resolve(Function<String, String> env, Supplier<SecretsManagerClient> secrets) {
        String secretId = blankToNull(env.apply(SECRET_ID));
        if (secretId != null) {
            String secret;
            try (SecretsManagerClient client = secrets.get()) {
                secret = client.getSecretValue(r -> r.secretId(secretId)).secretString();
            }
            return Optional.of(parse(secretId, secret));
        }
        String token = blankToNull(env.apply(TOKEN));
        if (token != null && blankToNull(env.apply("AWS_LAMBDA_FUNCTION_NAME")) != null) {
            throw new IllegalArgumentException(TOKEN + " must not be set in Lambda: store the token in Secrets Manager"
                    + " and set " + SECRET_ID);
        }
        return Optional.ofNullable(token);
    }

    static String parse(String secretId, String secret) {
        String text = blankToNull(secret);
        if (text == null) {
            throw new IllegalArgumentException(SECRET_ID + "=" + secretId + ": the secret is empty");
        }
        if (text.startsWith("{")) {
            try {
                JsonNode token = Json.MAPPER.readTree(text).get("token");
                if (token == null || token.asText().isBlank()) {
                    throw new IllegalArgumentException(SECRET_ID + "=" + secretId
                            + ": the secret is JSON without a \"token\" field");
                }
                return token.asText().trim();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(SECRET_ID + "=" + secretId + ": the secret is not valid JSON");
            }
        }
        return text;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
