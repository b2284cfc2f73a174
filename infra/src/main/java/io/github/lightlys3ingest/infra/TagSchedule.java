package io.github.lightlys3ingest.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The periodic tag step: Lightly's uploader ended each run by creating the initial tag or an upsize tag so new
 * samples show up in the web app; with continuous ingestion there is no "end", so a schedule does it.
 */
public final class TagSchedule extends Construct {

    public static final Duration TIMEOUT = Duration.minutes(5);
    public static final int MEMORY_MB = 1024;

    /**
     * @param tokenSecret secret holding the Lightly token
     * @param jar         the functions jar
     * @param schedule    EventBridge schedule expression
     * @param environment function environment
     */
    public record Props(ISecret tokenSecret, Path jar, String schedule, Map<String, String> environment) {
    }

    private final JavaFunction function;
    private final Rule rule;

    public TagSchedule(Construct scope, String id, Props props) {
        super(scope, id);
        function = new JavaFunction(this, "Tag", new JavaFunction.Props(
                io.github.lightlys3ingest.contract.LambdaFunction.TAG.handler(),
                "Creates Lightly's initial or upsize tag for newly ingested samples",
                props.jar(), MEMORY_MB, TIMEOUT, props.environment(), false, Optional.empty()));
        props.tokenSecret().grantRead(function.role());
        rule = Rule.Builder.create(this, "Schedule")
                .description("Runs the Lightly tag step")
                .schedule(Schedule.expression(props.schedule()))
                .targets(List.of(LambdaFunction.Builder.create(function.function())
                        // A missed run is caught up by the next one; retrying for a day would only pile up.
                        .retryAttempts(2)
                        .maxEventAge(Duration.hours(1))
                        .build()))
                .build();
    }

    /** The tag function. */
    public JavaFunction function() {
        return function;
    }

    /** The schedule rule. */
    public Rule rule() {
        return rule;
    }
}
