package io.github.lightlys3ingest.access;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * The outputs of the deployed ingestion stack ({@code cdk deploy}), read with CloudFormation
 * DescribeStacks: the role, datasources and settings {@code configure-lightly} sends to Lightly.
 *
 * @param stackName the stack
 * @param values    output key to value
 */
public record StackOutputs(String stackName, Map<String, String> values) {
    /** Output keys the stack (infra module, {@code IngestStack}) defines. */
    public static final String ROLE_ARN = "LightlyRoleArn";
    public static final String INPUT_URI = "InputDatasourceUri";
    public static final String OUTPUT_URI = "OutputDatasourceUri";
    public static final String REGION = "Region";
    public static final String DATASET_ID = "LightlyDatasetId";
    public static final String THUMB_SUFFIX = "ThumbSuffix";
    public static final String UPLOAD_MODE = "UploadMode";
    public static final String CUSTOM_METADATA = "CustomMetadata";
    public static final String KEY_PATTERN = "KeyPattern";

    public StackOutputs {
        values = Map.copyOf(values);
    }

    /**
     * Reads the stack's outputs.
     *
     * @throws IllegalArgumentException when the stack does not exist (in the client's region)
     */
    public static StackOutputs read(CloudFormationClient cloudFormation, String stackName) {
        Stack stack;
        try {
            stack = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("stack " + stackName + " not found"));
        } catch (AwsServiceException e) {
            // CloudFormation answers an unknown stack with a 400 ValidationError "Stack with id X does not exist"
            if (e.statusCode() == 400 && e.getMessage() != null && e.getMessage().contains("does not exist")) {
                throw new IllegalArgumentException("stack " + stackName + " does not exist in region "
                        + cloudFormation.serviceClientConfiguration().region() + " (set AWS_REGION)");
            }
            throw e;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Output output : stack.outputs()) {
            if (output.outputValue() != null) {
                values.put(output.outputKey(), output.outputValue());
            }
        }
        return new StackOutputs(stackName, values);
    }

    /** The output's value, if the stack has it. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }
}
