package io.github.lightlys3ingest.contract;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The Lambda functions the stack deploys from the functions jar, each with its handler. */
public enum LambdaFunction {
    /** Consumes the ingestion queue (S3 event notifications) and ingests each object. */
    INGEST("io.github.lightlys3ingest.lambda.IngestHandler::handleRequest"),
    /** Lists the input prefix and enqueues the objects already there; invoked by hand, continues itself. */
    BACKFILL("io.github.lightlys3ingest.lambda.BackfillHandler::handleRequest"),
    /** Creates Lightly's initial or upsize tag on a schedule. */
    TAG("io.github.lightlys3ingest.lambda.TagHandler::handleRequest");

    private final String handler;

    LambdaFunction(String handler) {
        this.handler = handler;
    }

    /** The Lambda handler string, {@code class::method}. */
    public String handler() {
        return handler;
    }

    /** The fully qualified name of the handler class. */
    public String handlerClass() {
        return handler.substring(0, handler.indexOf("::"));
    }

    /** Every variable this function's configuration reads; the stack sets these and no others. */
    public Set<EnvironmentVariable> environment() {
        Set<EnvironmentVariable> variables = EnumSet.noneOf(EnvironmentVariable.class);
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            if (variable.readBy().contains(this)) {
                variables.add(variable);
            }
        }
        return Collections.unmodifiableSet(variables);
    }
}
