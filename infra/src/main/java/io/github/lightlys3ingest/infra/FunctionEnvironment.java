package io.github.lightlys3ingest.infra;

import io.github.lightlys3ingest.contract.EnvironmentVariable;
import io.github.lightlys3ingest.contract.LambdaFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of one function: exactly the variables the contract says it reads
 * ({@link LambdaFunction#environment()}), with the stack's values for them.
 */
final class FunctionEnvironment {

    private FunctionEnvironment() {
    }

    /**
     * @param function the function
     * @param values   the stack's value of every variable it knows; variables other functions read are ignored
     * @throws IllegalStateException when a variable the stack must always set has no value (a bug in the stack)
     */
    static Map<String, String> of(LambdaFunction function, Map<EnvironmentVariable, String> values) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvironmentVariable variable : function.environment()) {
            String value = values.get(variable);
            if (value != null) {
                environment.put(variable.key(), value);
            } else if (variable.presence() == EnvironmentVariable.Presence.ALWAYS) {
                throw new IllegalStateException("the stack has no value for " + variable.key() + ", which the "
                        + function.name().toLowerCase(java.util.Locale.ROOT) + " function reads");
            }
        }
        return environment;
    }
}
