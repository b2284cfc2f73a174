package io.github.lightlys3ingest.infra;

import java.util.List;

/** The CDK context holds one or more invalid settings; the message lists all of them, one per line. */
public final class InvalidSettingsException extends RuntimeException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Invalid CDK context (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; set values with -c key=value or in cdk.json):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code key: explanation}. */
    public List<String> problems() {
        return problems;
    }
}
