package io.github.lightlys3ingest.lightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lightlys3ingest.moto.MotoExtension;
import io.github.lightlys3ingest.moto.MotoServer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@ExtendWith(MotoExtension.class)
class LightlyTokenTest {

    private static String secret(MotoServer moto, String value) {
        String name = MotoServer.freshName("lightly-token");
        try (SecretsManagerClient client = moto.clients().secretsManager()) {
            client.createSecret(b -> b.name(name).secretString(value));
        }
        return name;
    }

    @Test
    void tokenComesFromThePlainSecret(MotoServer moto) {
        String name = secret(moto, "plain-token-value\n");
        assertEquals(Optional.of("plain-token-value"), LightlyToken.resolve(
                Map.of("LIGHTLY_TOKEN_SECRET_ID", name, "AWS_LAMBDA_FUNCTION_NAME", "ingest")::get,
                moto.clients()::secretsManager));
    }

    @Test
    void tokenComesFromAJsonSecretsTokenField(MotoServer moto) {
        String name = secret(moto, "{\"token\": \"json-token-value\"}");
        assertEquals(Optional.of("json-token-value"),
                LightlyToken.resolve(Map.of("LIGHTLY_TOKEN_SECRET_ID", name)::get, moto.clients()::secretsManager));
    }

    @Test
    void jsonSecretWithoutTokenFieldIsAClearError(MotoServer moto) {
        String name = secret(moto, "{\"apiKey\": \"x\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                LightlyToken.resolve(Map.of("LIGHTLY_TOKEN_SECRET_ID", name)::get, moto.clients()::secretsManager));
        assertTrue(e.getMessage().startsWith("LIGHTLY_TOKEN_SECRET_ID=" + name), e.getMessage());
    }

    @Test
    void plainTokenVariableWorksOutsideLambdaOnly(MotoServer moto) {
        assertEquals(Optional.of("t0ken"),
                LightlyToken.resolve(Map.of("LIGHTLY_TOKEN", "t0ken")::get, moto.clients()::secretsManager));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LightlyToken.resolve(
                Map.of("LIGHTLY_TOKEN", "t0ken", "AWS_LAMBDA_FUNCTION_NAME", "ingest")::get,
                moto.clients()::secretsManager));
        assertTrue(e.getMessage().contains("Secrets Manager"), e.getMessage());
        assertTrue(!e.getMessage().contains("t0ken"), "the token is not echoed");
    }

    @Test
    void noTokenAtAllMeansADryRun(MotoServer moto) {
        assertEquals(Optional.empty(),
                LightlyToken.resolve(Map.<String, String>of()::get, moto.clients()::secretsManager));
    }
}
