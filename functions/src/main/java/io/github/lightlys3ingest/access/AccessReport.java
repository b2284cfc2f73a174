package io.github.lightlys3ingest.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What {@code verify} found: every light, in the order the checks ran.
 *
 * @param input   the INPUT datasource checked, or null
 * @param output  the LIGHTLY (output) datasource checked, or null
 * @param roleArn the role the S3 checks went through, or null when they used the caller's own credentials
 * @param lights  the checks
 */
@JsonPropertyOrder({"passed", "input", "output", "roleArn", "lights"})
public record AccessReport(String input, String output, String roleArn, List<Light> lights) {

    public AccessReport {
        lights = List.copyOf(lights);
    }

    /** True when no light is red (yellow ones, checks that could not run, do not fail it). */
    @JsonProperty("passed")
    public boolean passed() {
        return failures().isEmpty();
    }

    /** The red lights. */
    public List<Light> failures() {
        return lights.stream().filter(light -> light.state() == Light.State.RED).toList();
    }
}
