package io.github.lightlys3ingest.lightly;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The validator for shared/lightly-api/openapi.json, loaded once per test JVM (loading takes about a
 * second). The document is found through {@code LIGHTLY_SHARED_DIR}, else {@code ../../shared} relative to
 * the {@code functions} directory tests run in.
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

    /**
     * Where openapi.json is: under {@code LIGHTLY_SHARED_DIR}, else in the {@code shared} folder beside the
     * checkout, seen from the module (tests) or from the repository root (benchmarks run with exec:java).
     */
    public static Path specification() {
        String shared = System.getenv("LIGHTLY_SHARED_DIR");
        List<Path> candidates = shared == null || shared.isBlank()
                ? List.of(Path.of("..", "..", "shared"), Path.of("..", "shared"))
                : List.of(Path.of(shared));
        return candidates.stream()
                .map(dir -> dir.resolve("lightly-api").resolve("openapi.json").toAbsolutePath().normalize())
                .filter(Files::isReadable)
                .findFirst()
                .orElse(candidates.get(0).resolve("lightly-api").resolve("openapi.json").toAbsolutePath().normalize());
    }

    private static OpenApiInteractionValidator load() {
        Path spec = specification();
        if (!Files.isReadable(spec)) {
            throw new IllegalStateException("Lightly OpenAPI document not found at " + spec + " (set LIGHTLY_SHARED_DIR)");
        }
        return OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .withLevel("validation.response.status.unknown", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }
}
