/**
 * What the functions jar and the CDK stack must agree on, defined once: the Lambda handlers
 * ({@link io.github.lightlys3ingest.contract.LambdaFunction}), the environment variables each of them reads
 * ({@link io.github.lightlys3ingest.contract.EnvironmentVariable}), the stack's output keys
 * ({@link io.github.lightlys3ingest.contract.StackOutput}), the upload modes
 * ({@link io.github.lightlys3ingest.contract.UploadMode}) and the defaults both sides apply
 * ({@link io.github.lightlys3ingest.contract.Defaults}). Plain Java with no dependencies.
 */
package io.github.lightlys3ingest.contract;
