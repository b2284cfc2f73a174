package io.github.lightlys3ingest.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Lambda function running a handler from the functions jar, with its own execution role and log group.
 * The role starts empty apart from writing to that log group (no AWS managed policy, so no account-wide
 * {@code logs:*} grant); each user of this construct adds exactly the permissions its handler needs.
 */
public final class JavaFunction extends Construct {

    /**
     * @param handler      {@code class::method} of the handler
     * @param description  what the function does
     * @param jar          the functions jar
     * @param memoryMb     memory in MB
     * @param timeout      timeout
     * @param environment  environment variables (never secret values)
     * @param snapStart    whether published versions use SnapStart
     * @param functionName physical name, when the function must know or reference its own ARN
     */
    public record Props(String handler, String description, Path jar, int memoryMb, Duration timeout,
                        Map<String, String> environment, boolean snapStart, Optional<String> functionName) {
    }

    /** Log retention: long enough to investigate a DLQ alarm raised after a holiday. */
    static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

    private final Function function;
    private final Role role;

    public JavaFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(props.description() + " (execution role)")
                .build();
        logGroup.grantWrite(role);
        var builder = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                // The jar is pure Java; Graviton is about 20% cheaper per GB-second than x86.
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .code(Code.fromAsset(props.jar().toString()))
                .description(props.description())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(props.environment())
                .role(role)
                .logGroup(logGroup);
        props.functionName().ifPresent(builder::functionName);
        if (props.snapStart()) {
            builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        function = builder.build();
        if (props.snapStart()) {
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "Callers invoke a published version through an alias, never $LATEST.");
        }
        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 is the runtime the functions jar (Java 17 bytecode) is built and tested for, "
                        + "including SnapStart; java25 is adopted deliberately after testing, not by default.")
                .build()));
    }

    /** The Lambda function. */
    public Function function() {
        return function;
    }

    /** Its execution role; add the handler's permissions here. */
    public Role role() {
        return role;
    }
}
