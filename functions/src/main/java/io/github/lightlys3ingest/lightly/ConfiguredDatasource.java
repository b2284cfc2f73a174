package io.github.lightlys3ingest.lightly;

/**
 * A datasource as Lightly lists it ({@code DatasourceConfig}, any type); S3 fields are null for other types.
 *
 * @param id           Lightly's id of the configuration, or null
 * @param type         {@code S3DelegatedAccess}, {@code S3}, {@code GCS}, {@code AZURE}, {@code OBS}, {@code LOCAL}
 *                     or {@code LIGHTLY}
 * @param purpose      what the datasource is used for
 * @param fullPath     location, such as {@code s3://bucket/prefix/}
 * @param thumbSuffix  thumbnail name template, or null when Lightly loads full images
 * @param s3Region     region of the bucket, or null
 * @param s3ARN        delegated-access role, or null
 * @param s3ExternalId external id of the role, or null
 */
public record ConfiguredDatasource(String id, String type, DatasourcePurpose purpose, String fullPath,
                                   String thumbSuffix, String s3Region, String s3ARN, String s3ExternalId) {
}
