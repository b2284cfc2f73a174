package io.github.lightlys3ingest.lightly;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * The validator for the Lightly OpenAPI document in the test resources ({@code lightly-api/openapi.json}),
 * loaded once per test JVM (loading takes about a second).
 *
 * <p>Levels changed from swagger-request-validator's defaults, and why:
 * <ul>
 *   <li>{@code validation.request.parameter.query.unexpected}: IGNORE -> ERROR, so a query parameter the
 *       API does not define is caught like an unknown body field. The {@code token} security parameter is
 *       not affected.</li>
 *   <li>{@code validation.response.status.unknown}: -> IGNORE, because the document declares no 409 for
 *       sample creation although the stub answers a duplicate file name with one.</li>
 * </ul>
 * Unknown body fields stay errors (the validator's default treats unspecified {@code additionalProperties}
 * as false), which matches Lightly's newest client refusing extra keys, and also lets the validator pick
 * exactly one branch of {@code DatasourceConfig}'s {@code oneOf}.
 */
public final class LightlyOpenApi {

    private static final OpenApiInteractionValidator VALIDATOR = load();

    private LightlyOpenApi() {
    }

    /** The shared validator. Calls are serialized by the callers that need it ({@link LightlyApiStub}). */
    public static OpenApiInteractionValidator validator() {
        return VALIDATOR;
    }

    /** The document, a test resource of this repository (see lightly-api/NOTES.md for its origin). */
    public static java.net.URL specification() {
        java.net.URL url = LightlyOpenApi.class.getResource("/lightly-api/openapi.json");
        if (url == null) {
            throw new IllegalStateException("lightly-api/openapi.json is missing from the test resources");
        }
        return url;
    }

    private static OpenApiInteractionValidator load() {
        return OpenApiInteractionValidator.createForSpecificationUrl(specification().toString())
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .withLevel("validation.response.status.unknown", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }
}
